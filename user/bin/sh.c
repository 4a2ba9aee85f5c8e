/* sh: a small shell. A line holds commands separated by ';' (run one after
 * another) or ending in '&' (run in the background). "$?" is the status of
 * the last foreground command. Built-ins: exit [n], wait.
 * Pipes and redirection need the file system and come with it. */
#include "user.h"

#define MAXLINE 512
#define MAXARGS 32

static int last_status;

/* Split s into words in place; returns the word count. */
static int split_words(char *s, char **argv)
{
    int argc = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\n') *s++ = 0;
        if (!*s) break;
        if (argc == MAXARGS - 1) {
            fprintf(2, "sh: too many arguments\n");
            return -1;
        }
        argv[argc++] = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n') s++;
    }
    argv[argc] = 0;
    return argc;
}

static void run(char *cmd, int background)
{
    char *argv[MAXARGS];
    char status_text[16];
    int argc = split_words(cmd, argv);
    if (argc <= 0) return;
    snprintf(status_text, sizeof(status_text), "%d", last_status);
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "$?") == 0) argv[i] = status_text;

    if (strcmp(argv[0], "exit") == 0) exit(argc > 1 ? atoi(argv[1]) : last_status);
    if (strcmp(argv[0], "wait") == 0) {
        while (wait(0) >= 0) {
        }
        return;
    }
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "sh: fork failed\n");
        last_status = 1;
        return;
    }
    if (pid == 0) {
        exec(argv[0], argv);
        fprintf(2, "sh: %s: not found\n", argv[0]);
        exit(127);
    }
    if (background) {
        printf("[%d]\n", pid);
        return;
    }
    /* Wait for this command; background jobs that end meanwhile are reaped too. */
    int status, w;
    while ((w = wait(&status)) >= 0 && w != pid) {
    }
    last_status = status;
}

/* Run each ';'- or '&'-terminated command of the line. */
static void run_line(char *line)
{
    char *start = line;
    for (char *s = line;; s++) {
        if (*s == ';' || *s == '&' || *s == 0) {
            char end = *s;
            *s = 0;
            run(start, end == '&');
            if (end == 0) return;
            start = s + 1;
        }
    }
}

int main(int argc, char **argv)
{
    static char line[MAXLINE];
    if (argc == 3 && strcmp(argv[1], "-c") == 0) {
        run_line(argv[2]);
        exit(last_status);
    }
    for (;;) {
        printf("$ ");
        int n = read(0, line, sizeof(line) - 1);
        if (n <= 0) break;
        line[n] = 0;
        run_line(line);
    }
    exit(0);
}
