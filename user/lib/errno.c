/* The last error code from a failed call (positive, see trap/abi.h). */
int errno;
