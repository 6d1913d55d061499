/*
 * In-kernel tests. A suite is a table of {name, function} cases registered
 * with KTEST_SUITE anywhere in the kernel; the `selftest` boot runs them,
 * prints KTAP (Linux's format) on QEMU's debug console and exits QEMU with
 * pass or fail. A case that crashes fails with a register dump and the run
 * goes on; a case that checks nothing is reported as a failure.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "kernel.h"

struct ktest {
    const char *name;
    int checks;
    int failures;
    const char *skip_reason;
};

struct ktest_case {
    const char *name;
    void (*run)(struct ktest *t);
};

struct ktest_suite {
    const char *name;
    const struct ktest_case *cases;
    size_t count;
    bool on_request; /* runs only when named in ktest=... */
};

#define KTEST_CASE(fn) { #fn, fn }

/* Register a suite: KTEST_SUITE(id, "name", false, KTEST_CASE(a), ...). */
#define KTEST_SUITE(id, suite_name, request_only, ...)                        \
    static const struct ktest_case id##_cases[] = { __VA_ARGS__ };            \
    static const struct ktest_suite id = {                                    \
        suite_name, id##_cases, ARRAY_SIZE(id##_cases), request_only };       \
    static const struct ktest_suite *const id##_entry                         \
        __attribute__((used, section(".ktest_suites"))) = &id

#define KT_EXPECT(t, cond) ktest_expect((t), (cond), #cond, __FILE__, __LINE__)
#define KT_EXPECT_EQ(t, a, b) \
    ktest_expect_eq((t), (long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define KT_SKIP(t, reason)          \
    do {                            \
        ktest_skip((t), (reason));  \
        return;                     \
    } while (0)

bool ktest_expect(struct ktest *t, bool ok, const char *expr, const char *file, int line);
bool ktest_expect_eq(struct ktest *t, long long a, long long b, const char *ea,
                     const char *eb, const char *file, int line);
void ktest_skip(struct ktest *t, const char *reason);

/* A diagnostic line ("# ...") in the KTAP output of the running case. */
void ktest_log(const char *fmt, ...) PRINTF_LIKE(1, 2);

/*
 * Run every suite (or those named in the comma-separated filter, which may
 * name on-request suites), then exit QEMU: pass only if nothing failed.
 */
NORETURN void ktest_run_all(const char *filter);

/* Whether a test case is running on this CPU (a panic then resumes the
 * runner). */
bool ktest_case_running(void);

/* Called on panic: fails the running case and resumes the runner; returns
 * only when no case is running. */
void ktest_abort_current(void);
