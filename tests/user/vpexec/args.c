/*
 * Arguments: every space-separated word of a spawn's argument string
 * reaches the program as an argv[] entry of its own, up to the
 * VP_ARGS_MAX - 1 bytes the string may have.
 *
 * The children run as "vpexec child args KIND N WORD...", and check that
 * they got exactly N words, each the one expected_word names.
 */
#include <vputil.h>

#include "vpexec.h"

#define WORD_MAX 8
#define LIMIT_WORDS 116 /* one-letter words: "child args letters 116" and these fill 254 bytes */

/* Word i of a child's list: "w1", "w2", ... for kind "words"; one letter,
 * a to z and again, for kind "letters". */
static void expected_word(const char *kind, uint32_t i, char word[WORD_MAX])
{
    if (strcmp(kind, "words") == 0)
        snprintf(word, WORD_MAX, "w%u", i + 1);
    else
        snprintf(word, WORD_MAX, "%c", 'a' + (int)(i % 26));
}

void args_child(int argc, char **argv)
{
    uint32_t n = 0;
    if (argc < 5 || !parse_uint(argv[4], &n))
        exit(100);
    if ((uint32_t)argc != 5 + n || argv[argc] != NULL) {
        printf("# %d arguments, expected %u\n", argc, 5 + n);
        exit(101);
    }
    for (uint32_t i = 0; i < n; i++) {
        char want[WORD_MAX];
        expected_word(argv[3], i, want);
        if (strcmp(argv[5 + i], want) != 0) {
            printf("# argument %u of %u is \"%s\", not \"%s\"\n", i + 1, n, argv[5 + i], want);
            exit(1);
        }
    }
    exit(0);
}

/* Spawn a child with `count` words of `kind` and wait: its status; -1 if
 * it did not start. *length gets the argument string's length. */
static int run_with_words(const char *kind, uint32_t count, size_t *length)
{
    char args[VP_ARGS_MAX + 8];
    int len = snprintf(args, sizeof(args), "child args %s %u", kind, count);
    for (uint32_t i = 0; i < count && len < (int)sizeof(args); i++) {
        char word[WORD_MAX];
        expected_word(kind, i, word);
        len += snprintf(args + len, sizeof(args) - (size_t)len, " %s", word);
    }
    *length = strlen(args);
    HANDLE h = spawn("vpexec", args);
    int status = -1;
    if (!h || wait(h, &status) != 0)
        return -1;
    return status;
}

/* Issue 17, item 8: arguments past the 16th were merged into argv[15]. */
void test_forty_arguments_all_arrive(void)
{
    size_t length;
    CHECK(run_with_words("words", 40, &length) == 0);
}

/* As many words as the string can hold: each an argument of its own. */
void test_arguments_up_to_the_limit_all_arrive(void)
{
    size_t length;
    int status = run_with_words("letters", LIMIT_WORDS, &length);
    printf("# %d arguments in %u bytes: status %d\n", LIMIT_WORDS + 4, (unsigned)length, status);
    CHECK(length >= VP_ARGS_MAX - 2 && length < VP_ARGS_MAX);
    CHECK(status == 0);
}

/* A string that does not end within VP_ARGS_MAX bytes is refused, not
 * cut: the program would get other arguments than asked for. */
void test_arguments_past_the_limit_are_refused(void)
{
    char args[VP_ARGS_MAX + 1];
    memset(args, 'x', VP_ARGS_MAX);
    args[VP_ARGS_MAX] = '\0';
    CHECK(!spawn("vpexec", args) && vp_errno == VP_EINVAL);
}
