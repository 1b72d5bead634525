#!/bin/sh
# test_record_ptrace.sh - tests/test_record.sh with scmp_record's ptrace method (the fallback
# for kernels without seccomp user notification's CONTINUE response)
#
# SPDX-License-Identifier: LGPL-2.1-or-later
RECORD_METHOD=ptrace
export RECORD_METHOD
exec sh "$(dirname "$0")/test_record.sh"
