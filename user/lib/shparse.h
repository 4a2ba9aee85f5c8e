/* The shell's parser (user/bin/sh.c): a command line into pipelines of
 * commands with their words and redirections. Pure C with no calls into the
 * library, so the host unit test (tests/host/test_shparse.c) builds it too.
 *
 * Syntax: pipelines separated by ';' or '&' (background); commands joined by
 * '|'; redirections '< f', '> f', '>> f' anywhere in a command; words quoted
 * with '...' (literal) or "..." (where \" \\ \$ and $? are special); a
 * backslash outside quotes takes the next character as it is; '#' at the
 * start of a word comments out the rest of the line. */
#ifndef PAGODA_USER_SHPARSE_H
#define PAGODA_USER_SHPARSE_H

#define SH_MAXLINE  512 /* bytes of a line */
#define SH_MAXCMDS  128 /* commands in one line */
#define SH_MAXWORDS 512 /* words (and argv terminators) in one line */
#define SH_MAXARGS  64  /* words of one command */
/* Stands for "$?" in a parsed word; the shell expands it when the command
 * runs, so that in "false; echo $?" echo sees false's status. */
#define SH_STATUS_MARK '\x01'

struct cmd {
    char **argv; /* argc words, then 0 */
    int argc;
    char *in, *out; /* redirection targets, or 0 */
    int append;     /* ">>" */
};

struct pipeline {
    int first, n;   /* cmds[first .. first+n) */
    int background; /* ended in '&' */
};

/* One parsed line: the words' text lives in text, pointed to by words[]. */
struct line {
    char text[2 * SH_MAXLINE];
    char *words[SH_MAXWORDS];
    struct cmd cmds[SH_MAXCMDS];
    struct pipeline pipes[SH_MAXCMDS];
    int nwords, ncmds, npipes;
};

/* Why a line did not parse: near is the unexpected token ("|", ";", "end
 * of line", ...) or 0, and then what says what is wrong ("unterminated
 * quote", "line too long", "too many words", "too many commands"). */
struct sh_error {
    const char *near;
    const char *what;
};

/* Parse src into ln: 0, or -1 with err filled in (and nothing to run). */
int sh_parse(const char *src, struct line *ln, struct sh_error *err);

#endif
