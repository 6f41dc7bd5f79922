/* SPDX-License-Identifier: BSD-3-Clause */
/* Port set-up: one mempool per port on its socket, N queue pairs, started. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "dp.h"

/*
 * af_packet reports 1518 bytes whatever it carries: the frames are those of
 * the kernel interface (its MTU) that fit one of its ring slots (framesz,
 * less 66 bytes of tpacket header and alignment). 0 when it cannot tell.
 */
static int
kernel_mtu(unsigned int if_index, int set)
{
	char ifname[IF_NAMESIZE];
	struct ifreq ifr;
	int s, rc;

	if (if_index == 0 || if_indextoname(if_index, ifname) == NULL)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_mtu = set;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	rc = ioctl(s, set > 0 ? SIOCSIFMTU : SIOCGIFMTU, &ifr);
	close(s);
	return rc == 0 ? ifr.ifr_mtu : -1;
}

static uint32_t
af_packet_max_frame(const struct rte_eth_dev_info *info)
{
	const struct rte_devargs *da = info->device != NULL ? rte_dev_devargs(info->device) : NULL;
	const char *fs = da != NULL && da->args != NULL ? strstr(da->args, "framesz=") : NULL;
	uint32_t slot = fs != NULL ? (uint32_t)strtoul(fs + 8, NULL, 10) : 2048;
	int mtu = kernel_mtu(info->if_index, 0);

	if (mtu <= 0 || slot < 128)
		return 0;
	slot = slot - 66 + RTE_ETHER_CRC_LEN;
	return RTE_MIN(slot, (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN);
}

/*
 * A frame must fit one mbuf: multi-segment parsing is not worth its cost.
 * Buffers above the default are MP_JUMBO_ROOM(max_frame): af_packet checks its whole
 * ring slot (framesz: the frame, its tpacket header, rounded up to a
 * page so that slots lie back to back in its blocks) against the buffer,
 * and `metroprobe run` and the lab size the slots the same way.
 */
static int
port_pool(struct dp_port *p, uint32_t max_frame, uint32_t nb_mbufs, int socket)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	uint32_t room;

	room = MP_RX_ROOM(max_frame) + RTE_PKTMBUF_HEADROOM;
	if (room < RTE_MBUF_DEFAULT_BUF_SIZE)
		room = RTE_MBUF_DEFAULT_BUF_SIZE;
	snprintf(name, sizeof(name), "mp_pool_%u", p->port_id);
	p->pool = rte_pktmbuf_pool_create(name, nb_mbufs, 256, 0, (uint16_t)room, socket);
	if (p->pool == NULL) {
		fprintf(stderr, "metroprobe-dp: port %u: cannot create a pool of %u mbufs: %s\n",
			p->port_id, nb_mbufs, rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

/*
 * Jumbo frames as far as the device goes (callers check p->max_frame).
 * Returns the kernel interface's jumbo MTU to restore after configuring an
 * af_packet port, or 0.
 */
static int
port_max_frame(struct dp_port *p, const struct rte_eth_dev_info *info, uint32_t max_frame,
	       struct rte_eth_conf *conf)
{
	int jumbo_mtu = 0;

	if (strcmp(info->driver_name, "net_af_packet") == 0 &&
	    af_packet_max_frame(info) > info->max_rx_pktlen) {
		/* the kernel interface's MTU and the ring slots say, not DPDK's MTU */
		p->max_frame = RTE_MIN(max_frame, af_packet_max_frame(info));
		jumbo_mtu = kernel_mtu(info->if_index, 0);
	} else {
		if (max_frame > info->max_rx_pktlen)
			max_frame = info->max_rx_pktlen;
		p->max_frame = max_frame < RTE_ETHER_MAX_LEN ? max_frame : RTE_ETHER_MAX_LEN;
	}
	if (max_frame > RTE_ETHER_MAX_LEN && max_frame <= info->max_rx_pktlen) {
		uint32_t mtu = max_frame - RTE_ETHER_HDR_LEN - RTE_ETHER_CRC_LEN;

		if (mtu > info->max_mtu)
			mtu = info->max_mtu;
		if (mtu > RTE_ETHER_MTU) {
			conf->rxmode.mtu = mtu;
			p->max_frame = mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
		}
	}
	return jumbo_mtu;
}

/* The offloads we use where the device has them. */
static void
port_offloads(struct dp_port *p, const struct rte_eth_dev_info *info, struct rte_eth_conf *conf)
{
	if (info->tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf->txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	/*
	 * The device's receive timestamps (mbuf dynamic field), where offered.
	 * Their unit is the device's: ns, except net_pcap's (the kernel's
	 * receive time in us; it fills the field without offering the offload).
	 */
	if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) {
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
		p->rx_ts_offload = true;
	}
	p->rx_ts_unit_ns = info->driver_name != NULL && strcmp(info->driver_name, "net_pcap") == 0 ?
			   1000 : 1;
	/*
	 * DPDK 22.11's memif unmaps its rings when the peer disconnects, from
	 * the interrupt thread, while rx_burst may be reading them: look at the
	 * link (a flag read) right before every poll, which narrows that window
	 * from the 10 ms link check to a few instructions.
	 */
	p->link_check_each_poll = info->driver_name != NULL &&
				  strcmp(info->driver_name, "net_memif") == 0;
	/* The NIC's checksum verdicts spare the fast path its own (ol_flags). */
	if ((info->rx_offload_capa & (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM)) ==
	    (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM)) {
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
		p->rx_csum_offload = true;
	}
}

static int
port_queues(struct dp_port *p, int socket)
{
	uint16_t rxd = DP_RX_DESC, txd = DP_TX_DESC, q;
	int rc;

	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &rxd, &txd);
	if (rc != 0)
		return rc;
	for (q = 0; q < p->nb_queues; q++) {
		rc = rte_eth_rx_queue_setup(p->port_id, q, rxd, socket, NULL, p->pool);
		if (rc != 0) {
			fprintf(stderr, "metroprobe-dp: port %u rx queue %u: %s\n", p->port_id, q,
				strerror(-rc));
			return rc;
		}
		rc = rte_eth_tx_queue_setup(p->port_id, q, txd, socket, NULL);
		if (rc != 0) {
			fprintf(stderr, "metroprobe-dp: port %u tx queue %u: %s\n", p->port_id, q,
				strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int
dp_port_setup(struct dp_port *p, uint16_t port_id, uint16_t nb_queues,
	      uint32_t max_frame, uint32_t nb_mbufs)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	struct rte_eth_link link;
	int socket, rc, jumbo_mtu;

	if (!rte_eth_dev_is_valid_port(port_id)) {
		fprintf(stderr, "metroprobe-dp: port %u does not exist (%u ports: name devices "
			"with --vdev or -a)\n", port_id, rte_eth_dev_count_avail());
		return -ENODEV;
	}
	p->port_id = port_id;
	p->nb_queues = nb_queues;
	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc != 0)
		return rc;
	if (nb_queues > info.max_rx_queues || nb_queues > info.max_tx_queues) {
		fprintf(stderr, "metroprobe-dp: port %u has %u rx / %u tx queues, %u needed\n",
			port_id, info.max_rx_queues, info.max_tx_queues, nb_queues);
		return -EINVAL;
	}
	socket = rte_eth_dev_socket_id(port_id);
	if (socket < 0)
		socket = (int)rte_socket_id();
	rc = port_pool(p, max_frame, nb_mbufs, socket);
	if (rc != 0)
		return rc;
	memset(&conf, 0, sizeof(conf));
	jumbo_mtu = port_max_frame(p, &info, max_frame, &conf);
	port_offloads(p, &info, &conf);
	rc = rte_eth_dev_configure(port_id, nb_queues, nb_queues, &conf);
	/* configuring af_packet sets the interface to DPDK's 1500: give it its jumbo MTU back */
	if (rc == 0 && jumbo_mtu > RTE_ETHER_MTU && kernel_mtu(info.if_index, 0) != jumbo_mtu)
		kernel_mtu(info.if_index, jumbo_mtu);
	if (rc != 0) {
		fprintf(stderr, "metroprobe-dp: port %u: configure: %s\n", port_id, strerror(-rc));
		return rc;
	}
	rc = port_queues(p, socket);
	if (rc != 0)
		return rc;
	rc = rte_eth_dev_start(port_id);
	if (rc != 0) {
		fprintf(stderr, "metroprobe-dp: port %u: start: %s\n", port_id, strerror(-rc));
		return rc;
	}
	/* IPv6 ND goes to solicited-node multicast groups. */
	rte_eth_allmulticast_enable(port_id);
	rte_eth_macaddr_get(port_id, &mac);
	memcpy(p->mac, mac.addr_bytes, 6);
	memset(&link, 0, sizeof(link));
	rte_eth_link_get_nowait(port_id, &link);
	p->speed_bps = link.link_speed != RTE_ETH_SPEED_NUM_NONE &&
		       link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN ?
			       (uint64_t)link.link_speed * 1000000ull : 0;
	return 0;
}

void
dp_port_close(struct dp_port *p)
{
	rte_eth_dev_stop(p->port_id);
	rte_eth_dev_close(p->port_id);
}

/* Send a small control frame (ARP/ND). */
int
dp_port_send_raw(struct dp_port *p, uint16_t queue, const uint8_t *buf, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(p->pool);
	char *d;

	if (m == NULL)
		return -ENOMEM;
	d = rte_pktmbuf_append(m, len);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return -ENOSPC;
	}
	memcpy(d, buf, len);
	if (rte_eth_tx_burst(p->port_id, queue, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return -EAGAIN;
	}
	p->arp_nd_sent++;
	return 0;
}

bool
dp_port_is_ours(const struct dp_port *p, const struct ip_addr *a)
{
	int i;

	for (i = 0; i < p->n_addrs; i++)
		if (ip_addr_equal(&p->addr[i], a))
			return true;
	return false;
}

const struct ip_addr *
dp_port_src_for(const struct dp_port *p, const struct ip_addr *dst)
{
	const struct ip_addr *any = NULL;
	int i;

	for (i = 0; i < p->n_addrs; i++) {
		if (p->addr[i].family != dst->family)
			continue;
		if (ip_addr_same_prefix(&p->addr[i], dst, p->plen[i]))
			return &p->addr[i];
		if (any == NULL)
			any = &p->addr[i];
	}
	return any;
}
