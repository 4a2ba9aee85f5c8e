/*
 * Host unit test for the shell's parser, user/lib/shparse.c: words, quoting
 * and escapes, $? marks, pipelines, redirections, ';' and '&', comments, and
 * every kind of syntax error, including lines that overflow each limit.
 * Built with ASan/UBSan, so no case may read or write outside the line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/shparse.h"

static int passed, failed;
static struct line ln;

static void fail(const char *src, const char *why)
{
    printf("FAIL %s: %s\n", src, why);
    failed++;
}

/* Render a parsed line back in a canonical form: words in [], redirections
 * as <f >f >>f, '|' between commands, ';' or '&' after each pipeline, and
 * $? marks as "{?}". */
static void render(char *out, size_t size)
{
    size_t n = 0;
    out[0] = 0;
#define PUT(...) n += (size_t)snprintf(out + n, n < size ? size - n : 0, __VA_ARGS__)
    for (int p = 0; p < ln.npipes; p++) {
        const struct pipeline *pl = &ln.pipes[p];
        for (int c = pl->first; c < pl->first + pl->n; c++) {
            const struct cmd *cmd = &ln.cmds[c];
            if (c > pl->first) PUT("|");
            for (int w = 0; w < cmd->argc; w++) {
                PUT("[");
                for (const char *s = cmd->argv[w]; *s; s++) {
                    if (*s == SH_STATUS_MARK)
                        PUT("{?}");
                    else
                        PUT("%c", *s);
                }
                PUT("]");
            }
            if (cmd->argv[cmd->argc] != NULL) PUT("(argv not terminated)");
            if (cmd->in) PUT("<%s", cmd->in);
            if (cmd->out) PUT("%s%s", cmd->append ? ">>" : ">", cmd->out);
        }
        PUT("%s", pl->background ? "&" : ";");
    }
#undef PUT
}

static void ok(const char *src, const char *want)
{
    struct sh_error err;
    char got[4096];
    if (sh_parse(src, &ln, &err) != 0) {
        snprintf(got, sizeof got, "error near %s: %s", err.near ? err.near : "-", err.what);
        fail(src, got);
        return;
    }
    render(got, sizeof got);
    if (strcmp(got, want) != 0) {
        char why[8192];
        snprintf(why, sizeof why, "got %s, want %s", got, want);
        fail(src, why);
        return;
    }
    passed++;
}

/* near: the token named, or NULL for a "what" error containing what. */
static void bad(const char *src, const char *near, const char *what)
{
    struct sh_error err;
    if (sh_parse(src, &ln, &err) == 0) {
        fail(src, "parsed, want an error");
        return;
    }
    int right = near ? err.near && strcmp(err.near, near) == 0
                     : !err.near && err.what && strstr(err.what, what) != NULL;
    if (!right) {
        char why[256];
        snprintf(why, sizeof why, "error near '%s' (%s)", err.near ? err.near : "-",
                 err.what ? err.what : "-");
        fail(src, why);
        return;
    }
    passed++;
}

static char *repeat(const char *piece, int times)
{
    size_t len = strlen(piece);
    char *s = malloc(len * (size_t)times + 1);
    for (int i = 0; i < times; i++) memcpy(s + len * (size_t)i, piece, len);
    s[len * (size_t)times] = 0;
    return s;
}

int main(void)
{
    /* words and blanks */
    ok("", "");
    ok("   \t ", "");
    ok("echo", "[echo];");
    ok("  echo   a\tb  ", "[echo][a][b];");
    ok("echo a\n", "[echo][a];");
    /* quoting and escapes */
    ok("echo 'a  b' \"c  d\"", "[echo][a  b][c  d];");
    ok("echo 'x\"y' \"p'q\"", "[echo][x\"y][p'q];");
    ok("echo a'b'\"c\"d", "[echo][abcd];");
    ok("echo ''", "[echo][];");
    ok("echo \"\"", "[echo][];");
    ok("echo a\\ b \\'c\\\"", "[echo][a b]['c\"];");
    ok("echo \"\\\"\\\\\\$x\\n\"", "[echo][\"\\$x\\n];");
    ok("echo '|;&<>'", "[echo][|;&<>];");
    ok("echo \"a|b\"", "[echo][a|b];");
    ok("echo a\\|b", "[echo][a|b];");
    /* $? */
    ok("echo $? x$?y", "[echo][{?}][x{?}y];");
    ok("echo \"[$?]\" '$?'", "[echo][[{?}]][$?];");
    ok("echo $x $", "[echo][$x][$];");
    /* comments */
    ok("echo a#b # rest | of ; it", "[echo][a#b];");
    ok("# only a comment", "");
    /* pipelines, lists, background */
    ok("a | b | c", "[a]|[b]|[c];");
    ok("a|b", "[a]|[b];");
    ok("a; b", "[a];[b];");
    ok("a;", "[a];");
    ok("a & b &", "[a]&[b]&");
    ok("a | b & c ; d", "[a]|[b]&[c];[d];");
    /* redirections */
    ok("cat < in > out", "[cat]<in>out;");
    ok("cat >> log", "[cat]>>log;");
    ok("< in cat", "[cat]<in;");
    ok("> f", ">f;");
    ok("cat<in>out", "[cat]<in>out;");
    ok("cat > a > b", "[cat]>b;");
    ok("cat < 'my file'", "[cat]<my file;");
    ok("a > x | b < y", "[a]>x|[b]<y;");
    /* syntax errors */
    bad("| a", "|", NULL);
    bad("a | | b", "|", NULL);
    bad("a |", "end of line", NULL);
    bad("a | ;", ";", NULL);
    bad("; a", ";", NULL);
    bad("a ;; b", ";", NULL);
    bad("&", "&", NULL);
    bad("cat >", "end of line", NULL);
    bad("cat < | b", "|", NULL);
    bad("cat > >> f", ">>", NULL);
    bad("echo 'abc", NULL, "unterminated quote");
    bad("echo \"abc", NULL, "unterminated quote");
    bad("echo \"a\\\"", NULL, "unterminated quote");
    /* limits */
    char *many_words = repeat("w ", SH_MAXARGS);
    bad(many_words, NULL, "too many words");
    char *many_cmds = repeat("a;", SH_MAXCMDS + 1);
    bad(many_cmds, NULL, "too many commands");
    char *max_cmds = repeat("a;", SH_MAXCMDS);
    struct sh_error err;
    if (sh_parse(max_cmds, &ln, &err) == 0 && ln.ncmds == SH_MAXCMDS)
        passed++;
    else
        fail("SH_MAXCMDS commands", "did not parse");
    char *long_word = repeat("x", 2 * SH_MAXLINE + 10);
    bad(long_word, NULL, "line too long");
    char *long_quoted = repeat("'xx'", SH_MAXLINE);
    bad(long_quoted, NULL, "line too long");
    char *many_redirs = repeat("<a ", SH_MAXCMDS * 3);
    ok(many_redirs, "<a;");
    free(many_words), free(many_cmds), free(max_cmds), free(long_word), free(long_quoted);
    free(many_redirs);

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
