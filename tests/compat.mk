# (fragment: see the owner of this area)
