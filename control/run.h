/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef MP_RUN_H
#define MP_RUN_H

/* `metroprobe run CONFIG [--duration S] [--out DIR]`; argv[0] == "run". */
int run_main(int argc, char **argv);
/* `metroprobe check CONFIG`: validate and print the dataplane command line. */
int check_main(int argc, char **argv);

#endif
