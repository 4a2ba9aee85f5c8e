/* The last error code from a failed call (positive, see include/pagoda/abi.h). */
int errno;
