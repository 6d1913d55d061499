/*
 * SMP suite: each processor the kernel started set itself up as the boot
 * CPU did (the same PAT, the FPU refused, its own local APIC), and the
 * kernel finds its own CPU's record through %gs.
 */
#include "kernel/cpu.h"
#include "kernel/ktest.h"
#include "kernel/lapic.h"
#include "kernel/smp.h"

#define MSR_PAT 0x277

static void the_boot_cpu_finds_its_record(struct ktest *t)
{
    struct cpu *self = cpu_this();
    KT_EXPECT(t, self == cpu_at(0));
    KT_EXPECT(t, self->self == self);
    KT_EXPECT_EQ(t, self->index, 0u);
    KT_EXPECT(t, self->online);
    KT_EXPECT_EQ(t, self->apic_id, lapic_id());
}

static void every_cpu_has_the_boot_cpus_pat(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    uint64_t pat = rdmsr(MSR_PAT);
    for (uint32_t i = 1; i < smp_online(); i++) {
        ktest_log("CPU %u: PAT 0x%llx, the boot CPU's 0x%llx", i, cpu_at(i)->pat, pat);
        KT_EXPECT(t, cpu_at(i)->pat == pat);
    }
}

static void every_cpu_refuses_the_fpu(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    for (uint32_t i = 0; i < smp_online(); i++) {
        KT_EXPECT(t, cpu_at(i)->cr0 & CR0_EM);
        KT_EXPECT(t, !(cpu_at(i)->cr0 & CR0_MP));
    }
}

static void every_cpu_is_online_with_its_own_apic(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    for (uint32_t i = 0; i < smp_online(); i++) {
        const struct cpu *c = cpu_at(i);
        KT_EXPECT(t, c->online);
        KT_EXPECT(t, c->self == c);
        KT_EXPECT_EQ(t, c->index, i);
        for (uint32_t j = 0; j < i; j++)
            KT_EXPECT(t, cpu_at(j)->apic_id != c->apic_id);
    }
    KT_EXPECT(t, smp_online() == CPU_MAX || !cpu_at(smp_online())->online);
}

KTEST_SUITE(smp_suite, "smp", false,
            KTEST_CASE(the_boot_cpu_finds_its_record),
            KTEST_CASE(every_cpu_has_the_boot_cpus_pat),
            KTEST_CASE(every_cpu_refuses_the_fpu),
            KTEST_CASE(every_cpu_is_online_with_its_own_apic));
