/* dev_list: the devices the kernel found in the device tree and lets
 * user-space drivers use. Anyone may ask (the addresses are no secret);
 * mapping them (dev_map) and binding their interrupts need device rights. */
#include "trap/syscall.h"
#include "drivers/devices.h"
#include "proc/proc.h"

long sys_dev_list(const uint64 *a)
{
    long max = (long)a[1];
    if (max < 0) return -EINVAL;
    struct devinfo devs[DEV_MAX];
    int n = devices_list(devs, DEV_MAX);
    int copy = n < max ? n : (int)max;
    if (copy > 0) {
        long r = copyout(a[0], devs, (uint64)copy * sizeof(devs[0]));
        if (r < 0) return r;
    }
    return n;
}
