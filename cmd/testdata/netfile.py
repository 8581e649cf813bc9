"""TCP and UDP over loopback, plus file work: the acceptance program of
gtrace -c network (compared with strace -e trace=%network). A thread
plays the TCP client and a forked child the UDP peer, so -f matters."""
import os
import socket
import sys
import tempfile
import threading

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
port = srv.getsockname()[1]


def client():
    with socket.create_connection(("127.0.0.1", port)) as c:
        c.sendall(b"ping")
        c.recv(4)


t = threading.Thread(target=client)
t.start()
conn, _ = srv.accept()
conn.recv(4)
conn.sendall(b"pong")
t.join()
conn.close()
srv.close()

udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))
addr = udp.getsockname()
pid = os.fork()
if pid == 0:
    peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    peer.sendto(b"datagram", addr)
    peer.close()
    os._exit(0)
udp.recvfrom(64)
os.waitpid(pid, 0)
udp.close()

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "data")
    with open(path, "w") as f:
        f.write("some file work\n" * 100)
    with open(path) as f:
        f.read()
    os.stat(path)
    os.rename(path, path + ".old")
sys.exit(0)
