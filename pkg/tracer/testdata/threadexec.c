/* A thread other than the main one calls execve: the main thread is
 * "superseded" and the thread takes its pid. */
#include <pthread.h>
#include <unistd.h>
static void *run(void *a) { execl("/bin/true", "true", (char *)0); return a; }
int main(void) { pthread_t t; pthread_create(&t, 0, run, 0); pause(); return 0; }
