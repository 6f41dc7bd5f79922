/* SPDX-License-Identifier: BSD-3-Clause */
#include "mp_kv.h"	/* key=value option strings: in the core, the link codec uses them */
