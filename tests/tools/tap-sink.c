// SPDX-License-Identifier: GPL-2.0
/*
 * tap-sink: be the far end of an existing (persistent) tap device, for the
 * bonding behaviour tests: attach to it, which gives it carrier, and print
 * one line per IPv4/UDP frame the kernel sends into it:
 *
 *   udp SRCMAC > DSTMAC SRC:SPORT > DST:DPORT PAYLOAD
 *
 * with non-printable payload bytes (newlines included) shown as '.'. Other
 * frames are counted but not printed. Runs until killed; the tap loses its
 * carrier when it exits.
 *
 *   ip tuntap add tap0 mode tap
 *   tap-sink tap0 >log &      (prints "attached tap0" once attached)
 *
 * Used where a veth cannot be: netpoll (netconsole) refuses veth on newer
 * kernels, and netpoll frames bypass packet sockets on the sending side.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char buf[65536];
	struct ifreq ifr;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TAPNAME\n", argv[0]);
		return 2;
	}
	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0) {
		perror("tap-sink: /dev/net/tun");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("tap-sink: TUNSETIFF");
		return 1;
	}
	printf("attached %s\n", ifr.ifr_name);
	fflush(stdout);

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		unsigned char *ip, *udp;
		char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
		unsigned int ihl, ulen;

		if (n < 0) {
			perror("tap-sink: read");
			return 1;
		}
		/* Ethernet II, IPv4, UDP only */
		if (n < 14 + 20 + 8 || buf[12] != 0x08 || buf[13] != 0x00)
			continue;
		ip = buf + 14;
		ihl = (ip[0] & 0x0f) * 4;
		if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 17 || 14 + ihl + 8 > (size_t)n)
			continue;
		udp = ip + ihl;
		ulen = (udp[4] << 8 | udp[5]);
		if (ulen < 8 || udp + ulen > buf + n)
			ulen = buf + n - udp;
		inet_ntop(AF_INET, ip + 12, src, sizeof(src));
		inet_ntop(AF_INET, ip + 16, dst, sizeof(dst));
		printf("udp %02x:%02x:%02x:%02x:%02x:%02x > %02x:%02x:%02x:%02x:%02x:%02x ",
		       buf[6], buf[7], buf[8], buf[9], buf[10], buf[11],
		       buf[0], buf[1], buf[2], buf[3], buf[4], buf[5]);
		printf("%s:%u > %s:%u ", src, udp[0] << 8 | udp[1], dst, udp[2] << 8 | udp[3]);
		for (unsigned int i = 8; i < ulen; i++)
			putchar(udp[i] >= 0x20 && udp[i] < 0x7f ? udp[i] : '.');
		putchar('\n');
		fflush(stdout);
	}
}
