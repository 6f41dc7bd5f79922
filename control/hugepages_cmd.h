/* SPDX-License-Identifier: BSD-3-Clause */
/* `metroprobe hugepages [--pages N -- CMD...]`: see hugepages_cmd.c. */
#ifndef MP_HUGEPAGES_CMD_H
#define MP_HUGEPAGES_CMD_H

int hugepages_main(int argc, char **argv);

#endif
