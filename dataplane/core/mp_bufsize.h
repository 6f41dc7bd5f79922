/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's packet-buffer sizes, in one place for the two that need
 * them: dataplane/dp, which allocates the pools, and control's hugepage
 * sizing (control/hugepages.c), which must reserve what they take.
 */
#ifndef MP_BUFSIZE_H
#define MP_BUFSIZE_H

#define MP_MBUF_HEADROOM	128u	/* RTE_PKTMBUF_HEADROOM */
#define MP_MBUF_DATAROOM	2048u	/* RTE_MBUF_DEFAULT_DATAROOM */
/*
 * Data room for frames above the default: af_packet checks its whole ring
 * slot (the frame, its tpacket header, rounded up to a page so that slots
 * lie back to back in a block) against the buffer, and `metroprobe run`
 * and the lab size the slots the same way.
 */
#define MP_JUMBO_ROOM(f)	(((f) + 128u + 4095u) & ~4095u)
/* The data room of a receive buffer for frames up to f bytes. */
#define MP_RX_ROOM(f)		((f) > MP_MBUF_DATAROOM ? MP_JUMBO_ROOM(f) : (f))

/* metroprobe-dp reflect: one pool of jumbo buffers */
#define MP_REFLECT_FRAME	(9018u + 8u)
#define MP_REFLECT_MBUFS	8191u

#endif /* MP_BUFSIZE_H */
