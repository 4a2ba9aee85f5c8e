/* virtio-blk over modern virtio-mmio, from the virtio 1.x specification:
 * device initialisation (§3.1), MMIO transport (§4.2), split virtqueues
 * (§2.7) and the block device (§5.2). See virtio_blk.h for the interface.
 *
 * Queue memory comes from dma_alloc(): the pages are not necessarily
 * physically contiguous, so each of the descriptor table, the driver ring,
 * the device ring and the header/status area sits in a page of its own, and
 * the device is given each one's physical address (va2pa). */
#include "virtio_blk.h"
#include "ipc.h" /* dma_alloc, va2pa; error codes */

static uint32_t rd(const struct vblk *d, unsigned off)
{
    return *(volatile uint32_t *)(d->regs + off);
}

static void wr(struct vblk *d, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(d->regs + off) = v;
}

static void wr64(struct vblk *d, unsigned off_low, uint64_t v)
{
    wr(d, off_low, (uint32_t)v);
    wr(d, off_low + 4, (uint32_t)(v >> 32));
}

int vblk_probe(volatile void *regs)
{
    volatile uint32_t *r = regs;
    if (r[VIRTIO_MMIO_MAGIC_VALUE / 4] != VIRTIO_MMIO_MAGIC) return 0;
    if (r[VIRTIO_MMIO_DEVICE_ID / 4] != VIRTIO_ID_BLOCK) return 0;
    return r[VIRTIO_MMIO_VERSION / 4] == 2 ? 1 : -1;
}

/* Give up on the device: tell it so, and report err. */
static int fail(struct vblk *d, int err)
{
    wr(d, VIRTIO_MMIO_STATUS, rd(d, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
    return err;
}

static void set_status(struct vblk *d, uint32_t bit)
{
    wr(d, VIRTIO_MMIO_STATUS, rd(d, VIRTIO_MMIO_STATUS) | bit);
}

/* Feature negotiation: VERSION_1 is required; FLUSH and RO are taken when
 * offered (FLUSH lets the device cache writes; RO tells us not to write).
 * Everything else (event index, indirect descriptors, packed rings,
 * multiqueue...) is declined. */
static int negotiate(struct vblk *d)
{
    wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    uint32_t lo = rd(d, VIRTIO_MMIO_DEVICE_FEATURES);
    wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    uint32_t hi = rd(d, VIRTIO_MMIO_DEVICE_FEATURES);
    if (!(hi & (1u << (VIRTIO_F_VERSION_1 - 32)))) return -EIO;

    uint32_t want = lo & ((1u << VIRTIO_BLK_F_FLUSH) | (1u << VIRTIO_BLK_F_RO));
    d->has_flush = (want >> VIRTIO_BLK_F_FLUSH) & 1;
    d->readonly = (want >> VIRTIO_BLK_F_RO) & 1;
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES, want);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));

    set_status(d, VIRTIO_STATUS_FEATURES_OK);
    if (!(rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK)) return -EIO; /* refused */
    return 0;
}

/* Queue 0: allocate its memory, tell the device where it is, enable it. */
static int setup_queue(struct vblk *d)
{
    wr(d, VIRTIO_MMIO_QUEUE_SEL, 0);
    if (rd(d, VIRTIO_MMIO_QUEUE_READY) != 0) return -EBUSY;
    uint32_t max = rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (max == 0) return -EIO;
    uint32_t n = VBLK_QUEUE_MAX;
    while (n > max) n /= 2; /* split queue sizes are powers of two */
    if (n < 2) return -EIO;
    d->qsize = (uint16_t)n;

    /* page 0: descriptors, 1: driver ring, 2: device ring, 3: headers+status */
    uint8_t *mem = dma_alloc(4);
    if (!mem) return -ENOMEM;
    long pa[4];
    for (int i = 0; i < 4; i++) {
        pa[i] = va2pa(mem + i * 4096);
        if (pa[i] < 0) return (int)pa[i];
    }
    d->desc = (struct virtq_desc *)mem;
    d->avail = (struct virtq_avail *)(mem + 4096);
    d->used = (struct virtq_used *)(mem + 2 * 4096);
    d->hdr = (struct vblk_req_hdr *)(mem + 3 * 4096);
    d->status = mem + 3 * 4096 + 2048;
    d->hdr_pa = (uint64_t)pa[3];
    d->status_pa = (uint64_t)pa[3] + 2048;

    /* all descriptors free; the pages come zeroed */
    for (uint16_t i = 0; i < n; i++) d->next_free[i] = (uint16_t)(i + 1);
    d->free_head = 0;
    d->nfree = (uint16_t)n;
    d->used_seen = 0;
    d->inflight = 0;

    wr(d, VIRTIO_MMIO_QUEUE_NUM, n);
    wr64(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint64_t)pa[0]);
    wr64(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint64_t)pa[1]);
    wr64(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint64_t)pa[2]);
    virtio_mb();
    wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
    return 0;
}

/* The capacity field (u64 at config offset 0), read consistently: the
 * generation counter must not change while we read its two halves. */
static uint64_t read_capacity(struct vblk *d)
{
    uint32_t gen, lo, hi;
    do {
        gen = rd(d, VIRTIO_MMIO_CONFIG_GENERATION);
        lo = rd(d, VIRTIO_MMIO_CONFIG);
        hi = rd(d, VIRTIO_MMIO_CONFIG + 4);
    } while (gen != rd(d, VIRTIO_MMIO_CONFIG_GENERATION));
    return (uint64_t)hi << 32 | lo;
}

int vblk_init(struct vblk *d, volatile void *regs)
{
    *d = (struct vblk){.regs = regs};
    if (vblk_probe(regs) != 1) return -ENOENT;

    /* §3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, set-up, DRIVER_OK */
    wr(d, VIRTIO_MMIO_STATUS, 0);
    for (int i = 0; i < 1000 && rd(d, VIRTIO_MMIO_STATUS) != 0; i++) {
    }
    if (rd(d, VIRTIO_MMIO_STATUS) != 0) return -EIO;
    set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
    set_status(d, VIRTIO_STATUS_DRIVER);
    int r = negotiate(d);
    if (r == 0) r = setup_queue(d);
    if (r < 0) return fail(d, r);
    d->capacity = read_capacity(d);
    d->blocks = d->capacity / VBLK_SECTORS_PER_BLOCK;
    set_status(d, VIRTIO_STATUS_DRIVER_OK);
    if (rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) return fail(d, -EIO);
    return 0;
}

int vblk_room(const struct vblk *d)
{
    return d->nfree / 3;
}

static uint16_t desc_alloc(struct vblk *d)
{
    uint16_t i = d->free_head;
    d->free_head = d->next_free[i];
    d->nfree--;
    return i;
}

static void desc_free(struct vblk *d, uint16_t i)
{
    d->next_free[i] = d->free_head;
    d->free_head = i;
    d->nfree++;
}

int vblk_submit(struct vblk *d, int type, uint64_t block, uint64_t pa)
{
    int ndesc = type == VBLK_T_FLUSH ? 2 : 3;
    if (type != VBLK_T_IN && type != VBLK_T_OUT && type != VBLK_T_FLUSH) return -EINVAL;
    if (type != VBLK_T_FLUSH && (block >= d->blocks || pa == 0 || pa % VBLK_BLOCK_SIZE))
        return -EINVAL;
    if (d->nfree < ndesc) return -EAGAIN;

    uint16_t head = desc_alloc(d);
    d->hdr[head] = (struct vblk_req_hdr){
        .type = (uint32_t)type,
        .sector = type == VBLK_T_FLUSH ? 0 : block * VBLK_SECTORS_PER_BLOCK,
    };
    d->status[head] = 0xff; /* the device overwrites it with VBLK_S_* */

    struct virtq_desc *h = &d->desc[head];
    h->addr = d->hdr_pa + head * sizeof(struct vblk_req_hdr);
    h->len = sizeof(struct vblk_req_hdr);
    h->flags = VIRTQ_DESC_F_NEXT;
    struct virtq_desc *last = h;
    if (type != VBLK_T_FLUSH) {
        uint16_t i = desc_alloc(d);
        last->next = i;
        last = &d->desc[i];
        last->addr = pa;
        last->len = VBLK_BLOCK_SIZE;
        last->flags = VIRTQ_DESC_F_NEXT | (type == VBLK_T_IN ? VIRTQ_DESC_F_WRITE : 0);
    }
    uint16_t s = desc_alloc(d);
    last->next = s;
    last = &d->desc[s];
    last->addr = d->status_pa + head;
    last->len = 1;
    last->flags = VIRTQ_DESC_F_WRITE;
    last->next = 0;

    /* Publish: the ring entry first, then (after a barrier) the new index. */
    uint16_t idx = d->avail->idx;
    d->avail->ring[idx % d->qsize] = head;
    virtio_mb();
    *(volatile uint16_t *)&d->avail->idx = (uint16_t)(idx + 1);
    d->busy[head] = 1;
    d->inflight++;
    return head;
}

void vblk_kick(struct vblk *d)
{
    virtio_mb(); /* the rings are written before the device is told */
    wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

uint32_t vblk_intr_ack(struct vblk *d)
{
    uint32_t isr = rd(d, VIRTIO_MMIO_INTERRUPT_STATUS);
    if (isr) wr(d, VIRTIO_MMIO_INTERRUPT_ACK, isr);
    virtio_mb();
    return isr;
}

int vblk_complete(struct vblk *d, struct vblk_done *out, int max)
{
    int n = 0;
    while (n < max) {
        uint16_t idx = *(volatile uint16_t *)&d->used->idx;
        if (d->used_seen == idx) break;
        virtio_mb(); /* read the entry (and the status byte) only after idx */
        struct virtq_used_elem e = d->used->ring[d->used_seen % d->qsize];
        d->used_seen++;
        if (e.id >= d->qsize || !d->busy[e.id]) continue; /* not ours: ignore it */
        uint16_t head = (uint16_t)e.id;
        uint8_t st = d->status[head];
        out[n].id = head;
        out[n].status = st == VBLK_S_OK || st == VBLK_S_UNSUPP ? st : VBLK_S_IOERR;
        n++;
        d->busy[head] = 0;
        d->inflight--;
        /* free the chain */
        uint16_t i = head;
        for (int k = 0; k < 3; k++) {
            uint16_t flags = d->desc[i].flags, next = d->desc[i].next;
            desc_free(d, i);
            if (!(flags & VIRTQ_DESC_F_NEXT)) break;
            i = next;
        }
    }
    return n;
}

int vblk_has_completions(struct vblk *d)
{
    virtio_mb();
    return *(volatile uint16_t *)&d->used->idx != d->used_seen;
}
