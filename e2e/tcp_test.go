package e2e

import (
	"bufio"
	endian "encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// waitRead waits until the peer of the loopback connection conn has read
// all that was written on it: the kernel holds none of it in conn's send
// queue nor in the peer's receive queue. Where /proc/net/tcp does not list
// the connection (not Linux), it pauses instead, long enough on an idle
// machine.
func waitRead(t *testing.T, conn net.Conn) {
	t.Helper()
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		time.Sleep(300 * time.Millisecond)
		return
	}
	local, remote := conn.LocalAddr().String(), conn.RemoteAddr().String()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		sent, okSent := tcpQueue(local, remote, true)
		unread, okUnread := tcpQueue(remote, local, false)
		if okSent && okUnread && sent == 0 && unread == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not read the request within 10 s (%d bytes unsent, %d unread)", sent, unread)
		}
	}
}

// tcpQueue returns the bytes in the send (tx) or receive queue of the IPv4
// TCP socket from local to remote, as /proc/net/tcp lists it; ok is false
// when it is not listed.
func tcpQueue(local, remote string, tx bool) (n int, ok bool) {
	l, r := procAddr(local), procAddr(remote)
	f, err := os.Open("/proc/net/tcp")
	if err != nil || l == "" || r == "" {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// sl local_address rem_address st tx_queue:rx_queue ...
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 || fields[1] != l || fields[2] != r {
			continue
		}
		txq, rxq, _ := strings.Cut(fields[4], ":")
		q := rxq
		if tx {
			q = txq
		}
		v, err := strconv.ParseInt(q, 16, 64)
		return int(v), err == nil
	}
	return 0, false
}

// procAddr writes an IPv4 address and port as /proc/net/tcp does: the
// address as the machine reads its four bytes as a number ("0100007F:1F90"
// for 127.0.0.1:8080 on x86), or returns "".
func procAddr(hostport string) string {
	ap, err := netip.ParseAddrPort(hostport)
	if err != nil || !ap.Addr().Is4() {
		return ""
	}
	b := ap.Addr().As4()
	return fmt.Sprintf("%08X:%04X", endian.NativeEndian.Uint32(b[:]), ap.Port())
}
