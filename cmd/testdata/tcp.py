"""A loopback TCP exchange in two processes: the child connects and sends
4 bytes, the parent accepts, reads them and answers 5 bytes."""
import os
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
port = srv.getsockname()[1]
pid = os.fork()
if pid == 0:
    srv.close()
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"ping")
    c.recv(5)
    c.close()
    os._exit(0)
conn, _ = srv.accept()
conn.recv(4)
conn.sendall(b"pong!")
conn.close()
srv.close()
os.waitpid(pid, 0)
print(port)
