/*
 * Command line parsing. Tokens are copied into the cmdline's own buffer, so
 * the result stays valid after the boot information is gone.
 */
#include "cmdline.h"

#include "kstring.h"

struct cursor {
    const char *in;
    char *out;
    char *end;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy one character into the buffer; false when the buffer is full. */
static bool emit(struct cursor *c, char ch)
{
    if (c->out >= c->end)
        return false;
    *c->out++ = ch;
    return true;
}

/*
 * Copy the next token, stopping at '=' when stop_at_equals, honouring double
 * quotes. Returns the copied token, or NULL when the buffer ran out.
 */
static const char *copy_token(struct cursor *c, bool stop_at_equals)
{
    char *start = c->out;
    bool quoted = false;
    for (; *c->in; c->in++) {
        char ch = *c->in;
        if (ch == '"') {
            quoted = !quoted;
            continue;
        }
        if (!quoted && (is_space(ch) || (stop_at_equals && ch == '=')))
            break;
        if (!emit(c, ch))
            return NULL;
    }
    return emit(c, '\0') ? start : NULL;
}

static int find(const struct cmdline *cl, const char *key)
{
    for (int i = cl->count - 1; i >= 0; i--) {
        if (strcmp(cl->key[i], key) == 0)
            return i;
    }
    return -1;
}

#define REST_OF_LINE_KEY "run"

/* Copy everything left (trailing white space dropped); NULL when out of room. */
static const char *copy_rest(struct cursor *c)
{
    char *start = c->out;
    for (; *c->in; c->in++) {
        if (!emit(c, *c->in))
            return NULL;
    }
    while (c->out > start && is_space(c->out[-1]))
        c->out--;
    return emit(c, '\0') ? start : NULL;
}

/* Parse one "key" or "key=value" at the cursor; false when out of room. */
static bool parse_option(struct cmdline *cl, struct cursor *c)
{
    const char *key = copy_token(c, true);
    if (!key)
        return false;
    const char *value = "";
    if (*c->in == '=') {
        c->in++;
        value = strcmp(key, REST_OF_LINE_KEY) == 0 ? copy_rest(c) : copy_token(c, false);
        if (!value)
            return false;
    }
    if (cl->count == CMDLINE_MAX_OPTIONS)
        return false;
    cl->key[cl->count] = key;
    cl->value[cl->count] = value;
    cl->count++;
    return true;
}

void cmdline_parse(struct cmdline *cl, const char *text)
{
    struct cursor c = { text ? text : "", cl->text, cl->text + sizeof(cl->text) };
    cl->count = 0;
    cl->dropped = NULL;
    bool first = true;
    for (;;) {
        while (is_space(*c.in))
            c.in++;
        if (!*c.in)
            return;
        if (first && *c.in == '/') {
            while (*c.in && !is_space(*c.in))
                c.in++;
            first = false;
            continue;
        }
        first = false;
        const char *start = c.in;
        if (!parse_option(cl, &c)) {
            cl->dropped = start;
            return;
        }
    }
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
    int i = find(cl, key);
    return i < 0 ? NULL : cl->value[i];
}

bool cmdline_has(const struct cmdline *cl, const char *key)
{
    return find(cl, key) >= 0;
}

static struct cmdline kernel_cmdline;

const char *kernel_options_set(const char *text)
{
    cmdline_parse(&kernel_cmdline, text);
    return kernel_cmdline.dropped;
}

const char *kernel_option(const char *key)
{
    return cmdline_get(&kernel_cmdline, key);
}

bool kernel_flag(const char *key)
{
    return cmdline_has(&kernel_cmdline, key);
}
