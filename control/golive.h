/* SPDX-License-Identifier: BSD-3-Clause */
/* `metroprobe golive`: the go-live acceptance run (golive.c). */
#ifndef MP_GOLIVE_H
#define MP_GOLIVE_H

int golive_main(int argc, char **argv);

#endif
