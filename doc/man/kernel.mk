# man pages for the kernel interface (issue 5): included from doc/local.mk
dist_man_MANS += \
	doc/man/seccomp_api_get.3 doc/man/seccomp_api_set.3 \
	doc/man/seccomp_attr_set.3 doc/man/seccomp_attr_get.3 \
	doc/man/seccomp_load.3 \
	doc/man/seccomp_precompute.3 \
	doc/man/seccomp_transaction_start.3 doc/man/seccomp_transaction_commit.3 \
	doc/man/seccomp_transaction_reject.3 \
	doc/man/seccomp_notify_alloc.3 doc/man/seccomp_notify_free.3 \
	doc/man/seccomp_notify_receive.3 doc/man/seccomp_notify_respond.3 \
	doc/man/seccomp_notify_id_valid.3 doc/man/seccomp_notify_fd.3 \
	doc/man/seccomp_notify_addfd.3
