/* The file-descriptor layer's interface to printf. */
#ifndef PAGODA_USER_FD_H
#define PAGODA_USER_FD_H

/* write() without first flushing printf's buffers: printf's own flush uses it. */
int fd_write(int fd, const void *buf, int n);

#endif
