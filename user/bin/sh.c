/* sh: the shell. A line is a list of pipelines separated by ';' (run one
 * after another) or '&' (run in the background); a pipeline is commands
 * joined by '|', each with optional redirections '< file', '> file',
 * '>> file'. Words may be quoted with '...' (literal) or "..." (where only
 * $?, \" , \\ and \$ are special); a backslash outside quotes takes the next
 * character literally; '#' at the start of a word begins a comment. $? is the
 * status of the last foreground pipeline. Built-ins: cd, exit, wait, help,
 * history. A command name without '/' is looked up in /bin.
 *
 * Usage: sh (interactive on the console, with history on the up/down arrow
 * keys), sh -c 'LINE', sh SCRIPT (non-interactive; the status is that of the
 * last command). The whole line is parsed before anything runs, so a syntax
 * error runs nothing. */
#include "user.h"
#include "stat.h"
#include "fcntl.h"
#include "syscall.h"
#include "shparse.h"

#define MAXARGS SH_MAXARGS
#define HISTMAX 32

static int last_status;

/* ------------------------------------------------------------- running */

/* Replace every $? mark in the command's words, into buf. */
static void expand(struct cmd *c, char *buf, int size, char **argv)
{
    char status[16];
    snprintf(status, sizeof status, "%d", last_status);
    char *out = buf, *end = buf + size - 1;
    for (int i = 0; i < c->argc; i++) {
        if (!strchr(c->argv[i], SH_STATUS_MARK)) {
            argv[i] = c->argv[i];
            continue;
        }
        argv[i] = out;
        for (const char *s = c->argv[i]; *s; s++) {
            const char *piece = *s == SH_STATUS_MARK ? status : (char[]){*s, 0};
            for (; *piece && out < end; piece++) *out++ = *piece;
        }
        *out++ = 0;
    }
    argv[c->argc] = 0;
}

static void expand_target(char **target, char *buf, int size)
{
    if (*target == 0 || !strchr(*target, SH_STATUS_MARK)) return;
    struct cmd one = {target, 1, 0, 0, 0};
    char *argv[2];
    expand(&one, buf, size, argv);
    *target = argv[0];
}

/* Make fd become fd number target (xv6 style: dup gives the lowest free fd). */
static int move_fd(int fd, int target)
{
    if (fd == target) return 0;
    close(target);
    int d = dup(fd);
    close(fd);
    return d == target ? 0 : -1;
}

/* The child's side of redirections; exits on failure. */
static void redirect(struct cmd *c)
{
    if (c->in) {
        int fd = open(c->in, O_RDONLY);
        if (fd < 0 || move_fd(fd, 0) < 0) {
            perror_path("sh", c->in);
            exit(1);
        }
    }
    if (c->out) {
        int fd = open(c->out, O_WRONLY | O_CREATE | (c->append ? O_APPEND : O_TRUNC));
        if (fd < 0 || move_fd(fd, 1) < 0) {
            perror_path("sh", c->out);
            exit(1);
        }
    }
}

static char history[HISTMAX][SH_MAXLINE];
static int hist_count; /* lines ever added; the last HISTMAX are kept */

static void print_history(void)
{
    int first = hist_count > HISTMAX ? hist_count - HISTMAX : 0;
    for (int i = first; i < hist_count; i++) printf("%4d  %s\n", i + 1, history[i % HISTMAX]);
}

/* help: the built-ins, then the programs in /bin (or, with no file system,
 * in the boot image). */
static void print_help(void)
{
    printf("built-ins: cd [dir], exit [status], wait, help, history\n");
    printf("syntax: a | b, < in, > out, >> out, a; b, a &, 'quoted', \"quoted $?\", $?\n");
    printf("programs in /bin:\n");
    char name[DIRSIZ + 1];
    int col = 0, fd = open("/bin", O_RDONLY);
    for (int i = 0;; i++) {
        if (fd >= 0) {
            struct dirent d;
            if (read(fd, &d, sizeof d) != sizeof d) break;
            if (d.inum == 0 || d.name[0] == '.') continue;
            memmove(name, d.name, DIRSIZ);
            name[DIRSIZ] = 0;
        } else if (sys_bootmod_name(i, name, sizeof name) < 0) {
            break;
        }
        int len = (int)strlen(name);
        if (col > 0 && col + 1 + len > 72) {
            printf("\n");
            col = 0;
        }
        printf("%s%s", col ? " " : "  ", name);
        col += len + (col ? 1 : 2);
    }
    if (col) printf("\n");
    if (fd >= 0) close(fd);
}

/* In the child: redirect, then run a built-in that prints, or exec. */
static void run_child(struct cmd *c, char **argv)
{
    redirect(c);
    if (argv[0] == 0) exit(0); /* only redirections: "> file" creates it */
    if (strcmp(argv[0], "help") == 0) {
        print_help();
        exit(0);
    }
    if (strcmp(argv[0], "history") == 0) {
        print_history();
        exit(0);
    }
    /* The shell's own built-ins, in a pipeline or in the background: like a
     * subshell's, they change nothing that outlives this child. */
    if (strcmp(argv[0], "cd") == 0 || strcmp(argv[0], "exit") == 0 || strcmp(argv[0], "wait") == 0)
        exit(0);
    char path[SH_MAXLINE + 8];
    if (strchr(argv[0], '/'))
        snprintf(path, sizeof path, "%s", argv[0]);
    else
        snprintf(path, sizeof path, "/bin/%s", argv[0]);
    exec(path, argv);
    if (errno == ENOENT) {
        fprintf(2, "sh: %s: not found\n", argv[0]);
        exit(127);
    }
    perror_path("sh", argv[0]); /* e.g. "sh: ./README: ENOEXEC (not an executable)" */
    exit(126);
}

/* Built-ins that must run in the shell itself. 1 if cmd was one. */
static int run_builtin(struct cmd *c, char **argv)
{
    if (argv[0] == 0) return 0;
    if (strcmp(argv[0], "exit") == 0) {
        cons_mode(CONS_COOKED);
        exit(c->argc > 1 ? atoi(argv[1]) : last_status);
    }
    if (strcmp(argv[0], "cd") == 0) {
        const char *dir = c->argc > 1 ? argv[1] : "/";
        last_status = 0;
        if (c->argc > 2) {
            fprintf(2, "usage: cd [dir]\n");
            last_status = 2;
        } else if (chdir(dir) < 0) {
            perror_path("sh: cd", dir);
            last_status = 1;
        }
        return 1;
    }
    if (strcmp(argv[0], "wait") == 0) {
        while (wait(0) >= 0) {
        }
        last_status = 0;
        return 1;
    }
    return 0;
}

static void run_pipeline(struct line *ln, struct pipeline *p)
{
    static char expanded[2 * SH_MAXLINE];
    char *argv[MAXARGS];
    char target_buf[2][SH_MAXLINE];
    struct cmd *cmds = &ln->cmds[p->first];

    if (p->n == 1 && !p->background) {
        expand(&cmds[0], expanded, sizeof expanded, argv);
        if (run_builtin(&cmds[0], argv)) return;
    }
    int pids[SH_MAXCMDS];
    int started = 0, prev = -1;
    for (int i = 0; i < p->n; i++) {
        int fds[2] = {-1, -1};
        if (i + 1 < p->n && pipe(fds) < 0) {
            perror("sh: pipe");
            break;
        }
        int pid = fork();
        if (pid < 0) {
            perror("sh: fork");
            if (fds[0] >= 0) {
                close(fds[0]);
                close(fds[1]);
            }
            break;
        }
        if (pid == 0) {
            if (prev >= 0 && move_fd(prev, 0) < 0) exit(1);
            if (fds[1] >= 0) {
                close(fds[0]);
                if (move_fd(fds[1], 1) < 0) exit(1);
            }
            struct cmd *c = &cmds[i];
            expand(c, expanded, sizeof expanded, argv);
            expand_target(&c->in, target_buf[0], SH_MAXLINE);
            expand_target(&c->out, target_buf[1], SH_MAXLINE);
            run_child(c, argv);
        }
        pids[started++] = pid;
        if (prev >= 0) close(prev);
        if (fds[1] >= 0) close(fds[1]);
        prev = fds[0];
    }
    if (prev >= 0) close(prev);
    if (started == 0) {
        last_status = 1;
        return;
    }
    if (p->background) {
        printf("[%d]\n", pids[started - 1]);
        last_status = 0;
        return;
    }
    /* Wait for every command of the pipeline; background jobs that end
     * meanwhile are reaped too. The status is the last command's. */
    int left = started, status = 0;
    while (left > 0) {
        int st, w = wait(&st);
        if (w < 0) break;
        for (int i = 0; i < started; i++) {
            if (pids[i] != w) continue;
            pids[i] = -1;
            left--;
            if (i == started - 1) status = st;
        }
    }
    last_status = started == p->n ? status : 1;
}

static void run_line(const char *src)
{
    static struct line ln; /* big: keep it off the stack */
    struct sh_error err;
    if (sh_parse(src, &ln, &err) < 0) {
        if (err.near)
            fprintf(2, "sh: syntax error near '%s'\n", err.near);
        else
            fprintf(2, "sh: syntax error: %s\n", err.what);
        last_status = 2;
        return;
    }
    for (int i = 0; i < ln.npipes; i++) run_pipeline(&ln, &ln.pipes[i]);
}

/* ------------------------------------------------------------- input */

static void add_history(const char *line)
{
    while (*line == ' ') line++;
    if (*line == 0) return;
    if (hist_count > 0 && strcmp(history[(hist_count - 1) % HISTMAX], line) == 0) return;
    snprintf(history[hist_count % HISTMAX], SH_MAXLINE, "%s", line);
    hist_count++;
}

/* Buffered line reader for scripts, pipes and cooked console input. */
struct reader {
    int fd;
    int len, pos;
    char buf[SH_MAXLINE];
};

/* One line without its newline into line (at most max-1 bytes; a longer
 * line is cut, the rest skipped). Length, or -1 at end of input. */
static int read_line(struct reader *r, char *line, int max)
{
    int n = 0, any = 0;
    for (;;) {
        if (r->pos == r->len) {
            r->len = read(r->fd, r->buf, sizeof r->buf);
            r->pos = 0;
            if (r->len <= 0) {
                r->len = 0;
                break;
            }
        }
        any = 1;
        char c = r->buf[r->pos++];
        if (c == '\n') break;
        if (n + 1 < max) line[n++] = c;
    }
    line[n] = 0;
    return any ? n : -1;
}

/* Raw console editing with history: echo what is typed, backspace, ^U, ^C,
 * ^D on an empty line for end of input, up/down arrows (ESC [ A / ESC [ B,
 * or ESC O A / B) to walk the history. Length, or -1 at end of input. */
static int edit_line(char *line, int max)
{
    static char draft[SH_MAXLINE]; /* what was typed before walking the history */
    static int after_cr;           /* a "\r\n" pair is one end of line */
    char out[4 * SH_MAXLINE];
    int len = 0, esc = 0, hist = hist_count;
    for (;;) {
        /* One byte at a time: what follows the end of the line stays in the
         * console, which hands it to the command in cooked mode. */
        char in[1];
        long got = sys_cons_read(in, sizeof in);
        if (got <= 0) return -1;
        int o = 0; /* echo for this batch, written at once */
        for (long i = 0; i < got; i++) {
            char c = in[i];
            int was_cr = after_cr;
            after_cr = c == '\r';
            if (esc == 1) { /* after ESC */
                esc = (c == '[' || c == 'O') ? 2 : 0;
                continue;
            }
            if (esc == 2) {                         /* after ESC [ */
                if (c >= '0' && c <= '9') continue; /* parameters of e.g. ESC [ 3 ~ */
                esc = 0;
                int to = hist;
                int oldest = hist_count > HISTMAX ? hist_count - HISTMAX : 0;
                if (c == 'A' && hist > oldest) to = hist - 1;
                if (c == 'B' && hist < hist_count) to = hist + 1;
                if (to == hist) continue;
                if (hist == hist_count) { /* leaving the line being typed */
                    line[len] = 0;
                    snprintf(draft, sizeof draft, "%s", line);
                }
                hist = to;
                for (; len > 0; len--) o += snprintf(out + o, sizeof out - o, "\b \b");
                len =
                    snprintf(line, max, "%s", hist == hist_count ? draft : history[hist % HISTMAX]);
                if (len >= max) len = max - 1;
                o += snprintf(out + o, sizeof out - o, "%s", line);
                continue;
            }
            if (c == '\n' && was_cr) continue;
            if (c == '\r' || c == '\n') {
                o += snprintf(out + o, sizeof out - o, "\n");
                write(1, out, o);
                line[len] = 0;
                return len;
            }
            if (c == 0x1b) {
                esc = 1;
            } else if (c == 0x7f || c == '\b') {
                if (len > 0) {
                    len--;
                    o += snprintf(out + o, sizeof out - o, "\b \b");
                }
            } else if (c == 0x15) { /* ^U */
                for (; len > 0; len--) o += snprintf(out + o, sizeof out - o, "\b \b");
            } else if (c == 0x03) { /* ^C: drop the line */
                len = 0;
                o += snprintf(out + o, sizeof out - o, "^C\n");
                write(1, out, o);
                line[0] = 0;
                return 0;
            } else if (c == 0x04) { /* ^D */
                if (len == 0) {
                    write(1, out, o);
                    return -1;
                }
            } else if ((unsigned char)c >= ' ' || c == '\t') {
                if (len + 1 < max) {
                    line[len++] = c;
                    out[o++] = c;
                }
            }
            if (o > (int)sizeof out - 2 * SH_MAXLINE) { /* keep room for a history line */
                write(1, out, o);
                o = 0;
            }
        }
        if (o > 0) write(1, out, o);
    }
}

/* Read and run lines from r until end of input; prompt if interactive. */
static void run_input(struct reader *r, int interactive)
{
    static char line[SH_MAXLINE];
    for (;;) {
        int n;
        if (interactive && cons_mode(CONS_RAW) >= 0) {
            printf("$ ");
            printf_flush();
            n = edit_line(line, sizeof line);
            cons_mode(CONS_COOKED);
        } else {
            if (interactive) printf("$ ");
            n = read_line(r, line, sizeof line);
        }
        if (n < 0) break;
        if (interactive) add_history(line);
        run_line(line);
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-c") == 0) {
        run_line(argv[2]);
        exit(last_status);
    }
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(2, "usage: sh [-c line | script]\n");
        exit(2);
    }
    static struct reader r;
    if (argc == 2) {
        r.fd = open(argv[1], O_RDONLY);
        if (r.fd < 0) {
            perror_path("sh", argv[1]);
            exit(127);
        }
        run_input(&r, 0);
        exit(last_status);
    }
    r.fd = 0;
    run_input(&r, isatty(0));
    exit(last_status);
}
