/*
 * The self-test runner. KTAP goes to QEMU's debug console, which no
 * firmware writes to; a one-line summary per suite goes to the consoles.
 */
#include "ktest.h"

#include "drivers/emulator.h"
#include "cpu.h"
#include "format.h"
#include "ksetjmp.h"

#include <stdint.h>

#define INDENT "    "

extern const struct ktest_suite *const __ktest_suites_start[];
extern const struct ktest_suite *const __ktest_suites_end[];

static struct ktest running;     /* static: it must survive a klongjmp */
static bool case_running;
static struct kjmp case_recovery;

enum outcome { OUTCOME_PASS, OUTCOME_FAIL, OUTCOME_SKIP };

struct tally {
    int passed, failed, skipped;
};

static void ktap_vprintf(const char *fmt, va_list ap)
{
    char line[256];
    int n = kvsnprintf(line, sizeof(line), fmt, ap);
    emulator_debugcon_write(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static void ktap(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void ktap(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ktap_vprintf(fmt, ap);
    va_end(ap);
}

void ktest_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ktap(INDENT "# ");
    ktap_vprintf(fmt, ap);
    ktap("\n");
    va_end(ap);
}

bool ktest_expect(struct ktest *t, bool ok, const char *expr, const char *file, int line)
{
    t->checks++;
    if (!ok) {
        t->failures++;
        ktest_log("%s:%d: expected %s", file, line, expr);
    }
    return ok;
}

bool ktest_expect_eq(struct ktest *t, long long a, long long b, const char *ea,
                     const char *eb, const char *file, int line)
{
    t->checks++;
    if (a != b) {
        t->failures++;
        ktest_log("%s:%d: expected %s == %s, got %lld (0x%llx) and %lld (0x%llx)",
                  file, line, ea, eb, a, a, b, b);
    }
    return a == b;
}

void ktest_skip(struct ktest *t, const char *reason)
{
    t->skip_reason = reason;
}

bool ktest_case_running(void)
{
    return case_running && cpu_this()->index == 0; /* cases run on the boot CPU */
}

void ktest_abort_current(void)
{
    if (!ktest_case_running())
        return;
    ktest_log("crashed: see the register dump on the console");
    klongjmp(&case_recovery, 1);
}

static enum outcome run_case(const struct ktest_case *c)
{
    running = (struct ktest){ .name = c->name };
    case_running = true;
    if (ksetjmp(&case_recovery) == 0)
        c->run(&running);
    else
        running.failures++;
    case_running = false;
    irq_enable(); /* a crash leaves interrupts off */
    if (running.failures)
        return OUTCOME_FAIL;
    if (running.skip_reason)
        return OUTCOME_SKIP;
    if (running.checks == 0) {
        ktest_log("the test checked nothing");
        return OUTCOME_FAIL;
    }
    return OUTCOME_PASS;
}

static void report_case(size_t number, const char *name, enum outcome o)
{
    if (o == OUTCOME_SKIP)
        ktap(INDENT "ok %zu %s # SKIP %s\n", number, name, running.skip_reason);
    else
        ktap(INDENT "%s %zu %s\n", o == OUTCOME_FAIL ? "not ok" : "ok", number, name);
}

static bool run_suite(int number, const struct ktest_suite *s, struct tally *total)
{
    struct tally suite = { 0, 0, 0 };
    ktap(INDENT "KTAP version 1\n" INDENT "# Subtest: %s\n" INDENT "1..%zu\n",
         s->name, s->count);
    for (size_t i = 0; i < s->count; i++) {
        enum outcome o = run_case(&s->cases[i]);
        report_case(i + 1, s->cases[i].name, o);
        suite.passed += o == OUTCOME_PASS;
        suite.failed += o == OUTCOME_FAIL;
        suite.skipped += o == OUTCOME_SKIP;
    }
    ktap("%s %d %s\n", suite.failed ? "not ok" : "ok", number, s->name);
    kprintf("ktest: %-12s %d passed, %d failed, %d skipped\n", s->name, suite.passed,
            suite.failed, suite.skipped);
    total->passed += suite.passed;
    total->failed += suite.failed;
    total->skipped += suite.skipped;
    return suite.failed == 0;
}

/* Is name one of the comma-separated entries of list? */
static bool listed(const char *list, const char *name)
{
    for (const char *p = list; *p;) {
        const char *n = name;
        while (*n && *p == *n) {
            p++;
            n++;
        }
        if (!*n && (*p == ',' || !*p))
            return true;
        while (*p && *p != ',')
            p++;
        if (*p == ',')
            p++;
    }
    return false;
}

static bool selected(const struct ktest_suite *s, const char *filter)
{
    return filter && *filter ? listed(filter, s->name) : !s->on_request;
}

/* The linker gathers the registered suites between two symbols. */
static size_t suite_count(void)
{
    uintptr_t bytes = (uintptr_t)__ktest_suites_end - (uintptr_t)__ktest_suites_start;
    return bytes / sizeof(__ktest_suites_start[0]);
}

void ktest_run_all(const char *filter)
{
    const struct ktest_suite *const *suites = __ktest_suites_start;
    int planned = 0, number = 0;
    for (size_t i = 0; i < suite_count(); i++)
        planned += selected(suites[i], filter);
    ktap("KTAP version 1\n1..%d\n", planned);
    struct tally total = { 0, 0, 0 };
    bool all_ok = true;
    for (size_t i = 0; i < suite_count(); i++) {
        if (selected(suites[i], filter))
            all_ok &= run_suite(++number, suites[i], &total);
    }
    kprintf("ktest: %d passed, %d failed, %d skipped\n", total.passed, total.failed,
            total.skipped);
    emulator_exit(all_ok && planned > 0);
}
