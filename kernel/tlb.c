/*
 * The shootdown mailbox: one request, and a bit per CPU that still has to
 * answer it. A CPU answers by flushing what the request names, if its
 * loaded space is the one that changed (its loaded space cannot change
 * meanwhile: that takes the lock the initiator holds), then clearing its
 * bit; the initiator spins until no bit is left, sending the request again
 * about every millisecond to the CPUs that have not answered (an IPI can
 * be lost under QEMU: lapic.c; answering twice is harmless), now and then
 * with an NMI, which reaches a CPU whose APIC holds every IPI back.
 */
#include "tlb.h"

#include "biglock.h"
#include "cpu.h"
#include "kernel.h"
#include "lapic.h"
#include "mm/mm.h"
#include "smp.h"
#include "trap.h"

/* Beyond this many pages one CR3 reload is cheaper than an invlpg per
 * page. Under QEMU's TCG an invlpg costs about 600-1000 cycles, a reload
 * about 30,000 with the refilling of every TLB entry the kernel and the
 * process use next: they break even near 32-50 pages. */
#define INVLPG_MAX_PAGES 32

struct tlb_request {
    uint32_t root, va, pages;
};

static struct tlb_request request;
static volatile uint32_t unanswered; /* bit n: CPU n has not answered yet */
static struct tlb_counts counts;
static bool skip_others;

static void flush_here(const struct tlb_request *r)
{
    if (r->root && read_cr3() != r->root)
        return;
    if (r->pages == 0 || r->pages > INVLPG_MAX_PAGES) {
        write_cr3(read_cr3());
        return;
    }
    for (uint32_t i = 0; i < r->pages; i++)
        invlpg(r->va + i * PAGE_SIZE);
}

void tlb_service(void)
{
    uint32_t bit = 1u << cpu_this()->index;
    if (!(__atomic_load_n(&unanswered, __ATOMIC_ACQUIRE) & bit))
        return;
    flush_here(&request);
    __atomic_fetch_and(&unanswered, ~bit, __ATOMIC_RELEASE);
}

uint32_t tlb_cpus_holding(uint32_t root)
{
    uint32_t self = cpu_this()->index, targets = 0;
    for (uint32_t i = 0; i < smp_online(); i++) {
        if (i != self && (!root || cpu_at(i)->root == root))
            targets |= 1u << i;
    }
    return targets;
}

/* Send the request's interrupt to each CPU of targets, for the time
 * `round` (0 first; each later round a resend); how many got one. */
static uint32_t ask(uint32_t targets, uint32_t round)
{
    uint32_t sent = 0;
    for (uint32_t i = 0; i < CPU_MAX; i++) {
        if (!(targets & (1u << i)))
            continue;
        if (round)
            smp_ask_again(i, TRAP_TLB_SHOOTDOWN, round - 1);
        else
            lapic_send_ipi(cpu_at(i)->apic_id, TRAP_TLB_SHOOTDOWN);
        sent++;
    }
    return sent;
}

void tlb_shootdown(uint32_t root, uint32_t va, uint32_t pages)
{
    struct tlb_request r = { .root = root, .va = va, .pages = pages };
    uint32_t targets = skip_others || smp_stopping() ? 0 : tlb_cpus_holding(root);
    flush_here(&r);
    if (!targets) {
        counts.local++;
        return;
    }
    KASSERT(biglock_held() && !unanswered);
    request = r;
    __atomic_store_n(&unanswered, targets, __ATOMIC_RELEASE);
    counts.ipis += ask(targets, 0);
    counts.requests++;
    uint64_t resend = 0;
    for (uint32_t round = 1; (targets = __atomic_load_n(&unanswered, __ATOMIC_ACQUIRE));) {
        smp_spin_service();
        if (smp_resend_due(&resend))
            counts.resends += ask(targets, round++);
    }
}

struct tlb_counts tlb_counts(void)
{
    return counts;
}

void tlb_set_skip_others(bool skip)
{
    skip_others = skip;
}
