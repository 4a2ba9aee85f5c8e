/* The shell's parser (shparse.h): a lexer that resolves quotes and escapes
 * word by word into the line's text buffer, and a parser that groups the
 * words into commands and pipelines. The whole line is parsed before the
 * shell runs any of it. */
#include "shparse.h"

enum token { TOK_WORD, TOK_PIPE, TOK_IN, TOK_OUT, TOK_APPEND, TOK_SEMI, TOK_AMP, TOK_END };

struct lexer {
    const char *s; /* next input character */
    char *out;     /* where the next word's text goes */
    char *out_end;
    const char *error; /* set when a token cannot be read */
};

static const char *token_text(enum token t)
{
    static const char *const text[] = {"word", "|", "<", ">", ">>", ";", "&", "end of line"};
    return text[t];
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_special(char c)
{
    return c == '|' || c == '<' || c == '>' || c == ';' || c == '&';
}

static int emit(struct lexer *lx, char c)
{
    if (lx->out == lx->out_end) {
        lx->error = "line too long";
        return -1;
    }
    *lx->out++ = c;
    return 0;
}

/* Read one word (quotes and escapes resolved, $? marked) into lx->out. */
static int lex_word(struct lexer *lx)
{
    const char *s = lx->s;
    int r = 0;
    while (r == 0 && *s && !is_blank(*s) && !is_special(*s)) {
        char c = *s++;
        if (c == '\\') {
            if (*s) r = emit(lx, *s++);
        } else if (c == '\'') {
            while (r == 0 && *s && *s != '\'') r = emit(lx, *s++);
            if (*s != '\'') lx->error = "unterminated quote";
            if (*s) s++;
        } else if (c == '"') {
            while (r == 0 && *s && *s != '"') {
                if (*s == '\\' && (s[1] == '"' || s[1] == '\\' || s[1] == '$')) {
                    r = emit(lx, s[1]);
                    s += 2;
                } else if (s[0] == '$' && s[1] == '?') {
                    r = emit(lx, SH_STATUS_MARK);
                    s += 2;
                } else {
                    r = emit(lx, *s++);
                }
            }
            if (*s != '"') lx->error = "unterminated quote";
            if (*s) s++;
        } else if (c == '$' && *s == '?') {
            r = emit(lx, SH_STATUS_MARK);
            s++;
        } else {
            r = emit(lx, c);
        }
        if (lx->error) r = -1;
    }
    lx->s = s;
    if (r == 0) r = emit(lx, 0);
    return r;
}

static enum token next_token(struct lexer *lx)
{
    while (is_blank(*lx->s)) lx->s++;
    if (*lx->s == '#') /* a comment runs to the end of the line */
        while (*lx->s) lx->s++;
    switch (*lx->s) {
    case 0:
        return TOK_END;
    case '|':
        lx->s++;
        return TOK_PIPE;
    case '<':
        lx->s++;
        return TOK_IN;
    case '>':
        lx->s++;
        if (*lx->s == '>') {
            lx->s++;
            return TOK_APPEND;
        }
        return TOK_OUT;
    case ';':
        lx->s++;
        return TOK_SEMI;
    case '&':
        lx->s++;
        return TOK_AMP;
    default:
        lex_word(lx);
        return TOK_WORD;
    }
}

static int syntax_error(struct sh_error *err, const char *what)
{
    err->near = 0;
    err->what = what;
    return -1;
}

static int unexpected(struct sh_error *err, enum token t)
{
    err->near = token_text(t);
    err->what = "unexpected token";
    return -1;
}

int sh_parse(const char *src, struct line *ln, struct sh_error *err)
{
    struct lexer lx = {src, ln->text, ln->text + sizeof ln->text, 0};
    ln->nwords = ln->ncmds = ln->npipes = 0;
    struct cmd *c = 0;
    struct pipeline *p = 0;
    for (;;) {
        char *word = lx.out;
        enum token t = next_token(&lx);
        if (lx.error) return syntax_error(err, lx.error);
        if (t == TOK_WORD || t == TOK_IN || t == TOK_OUT || t == TOK_APPEND) {
            if (c == 0) { /* a new command, and maybe a new pipeline */
                if (ln->ncmds == SH_MAXCMDS || ln->nwords + 1 >= SH_MAXWORDS)
                    return syntax_error(err, "too many commands");
                if (p == 0) {
                    p = &ln->pipes[ln->npipes++];
                    *p = (struct pipeline){ln->ncmds, 0, 0};
                }
                c = &ln->cmds[ln->ncmds++];
                *c = (struct cmd){&ln->words[ln->nwords], 0, 0, 0, 0};
                p->n++;
            }
            if (t == TOK_WORD) {
                if (ln->nwords + 2 > SH_MAXWORDS || c->argc + 1 >= SH_MAXARGS)
                    return syntax_error(err, "too many words");
                ln->words[ln->nwords++] = word;
                c->argc++;
                continue;
            }
            char *target = lx.out;
            enum token f = next_token(&lx);
            if (lx.error) return syntax_error(err, lx.error);
            if (f != TOK_WORD) return unexpected(err, f);
            if (t == TOK_IN)
                c->in = target;
            else {
                c->out = target;
                c->append = t == TOK_APPEND;
            }
            continue;
        }
        /* An operator: it ends the current command. */
        if (c != 0) {
            ln->words[ln->nwords++] = 0; /* argv terminator (room was kept) */
            c = 0;
        } else if (t != TOK_END || p != 0) {
            return unexpected(err, t); /* "| x", "a | | b", "; ;", "a |" at the end */
        }
        if (t == TOK_PIPE) continue;
        if (p != 0) p->background = t == TOK_AMP;
        p = 0;
        if (t == TOK_END) return 0;
    }
}
