// sockioctl exercises the socket ioctls: struct ifreq requests on the
// loopback interface, int requests, and one strace shows as an address.
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>
#include <linux/sockios.h>
int main(void) {
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq r; memset(&r, 0, sizeof r); strcpy(r.ifr_name, "lo");
	ioctl(s, SIOCGIFINDEX, &r);
	ioctl(s, SIOCGIFFLAGS, &r);
	ioctl(s, SIOCGIFMTU, &r);
	ioctl(s, SIOCGIFADDR, &r);
	ioctl(s, SIOCGIFNETMASK, &r);
	ioctl(s, SIOCGIFHWADDR, &r);
	ioctl(s, SIOCGIFTXQLEN, &r);
	struct ifreq n; memset(&n, 0, sizeof n); n.ifr_ifindex = 1;
	ioctl(s, SIOCGIFNAME, &n);
	strcpy(r.ifr_name, "nosuch0");
	ioctl(s, SIOCGIFINDEX, &r);
	strcpy(r.ifr_name, "lo"); r.ifr_flags = IFF_UP|IFF_LOOPBACK|IFF_RUNNING;
	ioctl(s, SIOCSIFFLAGS, &r);
	int v = 0;
	ioctl(s, SIOCATMARK, &v);
	ioctl(s, SIOCOUTQ, &v);
	ioctl(s, FIOSETOWN, &v);
	ioctl(s, SIOCGSTAMP, 0);
	if_nametoindex("lo");
	return 0;
}
