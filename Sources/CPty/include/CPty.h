#ifndef WHATSAGENT_CPTY_H
#define WHATSAGENT_CPTY_H

#include <sys/types.h>

/// The step of a spawn that failed, reported with the errno so the caller can say what went wrong.
typedef enum {
    CPTY_STAGE_NONE = 0,
    CPTY_STAGE_OPENPTY = 1,
    CPTY_STAGE_PIPE = 2,
    CPTY_STAGE_FORK = 3,
    CPTY_STAGE_SETSID = 4,
    CPTY_STAGE_CONTROLLING_TTY = 5,
    CPTY_STAGE_CHDIR = 6,
    CPTY_STAGE_EXEC = 7,
    CPTY_STAGE_STDIO = 8,
} cpty_stage;

/// The outcome of a spawn: `stage == CPTY_STAGE_NONE` on success, otherwise the failing step and its errno.
typedef struct {
    int stage;
    int error;
} cpty_result;

/// Opens a pseudo-terminal of `cols` x `rows` and runs `path` in it as the leader of a new session whose
/// controlling terminal is the pty (setsid + TIOCSCTTY), with every signal disposition reset to the default,
/// an empty signal mask, stdin/stdout/stderr on the pty, every other descriptor closed, and `cwd` (if not NULL)
/// as working directory. `argv` and `envp` are NULL-terminated and are prepared by the caller: between fork and
/// exec the child only makes async-signal-safe calls. On success `*master_out` is the pty master (close-on-exec)
/// and `*pid_out` the child; the call returns after the child has exec'd (or failed to).
cpty_result cpty_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, unsigned short cols,
                       unsigned short rows, int *master_out, pid_t *pid_out);

/// Starts `path` fully detached: a new session, no controlling terminal, reparented to init (double fork, so the
/// caller never has to reap it), signals reset, stdin and stdout on /dev/null, stderr appended to `log_path`
/// (or /dev/null when NULL), and descriptor `pass_fd` (if >= 0) handed over as descriptor `pass_target`; every
/// other descriptor is closed. On success `*pid_out` is the detached process.
cpty_result cpty_spawn_detached(const char *path, char *const argv[], char *const envp[], const char *log_path, int pass_fd,
                                int pass_target, pid_t *pid_out);

/// Sets the window size of the terminal behind `fd` (TIOCSWINSZ); the foreground process group gets SIGWINCH.
/// Returns 0 or an errno.
int cpty_set_winsize(int fd, unsigned short cols, unsigned short rows);

/// Reads the window size of the terminal behind `fd` (TIOCGWINSZ). Returns 0 or an errno.
int cpty_get_winsize(int fd, unsigned short *cols, unsigned short *rows);

/// Waits up to `timeout_ms` for process `pid` (not necessarily a child) to terminate, through a pidfd on Linux (no
/// polling); a zombie counts as terminated, since it holds no descriptors any more. Returns 1 when it has, 0 on
/// timeout, or a negative errno.
int cpty_await_exit(pid_t pid, int timeout_ms);

/// Makes the calling process a child subreaper (Linux `PR_SET_CHILD_SUBREAPER`): a descendant orphaned by its parent's
/// exit (a double fork, `setsid -f`) is reparented to the caller instead of init, so it stays in the caller's tree.
/// The caller must then reap such orphans. Returns 0 or an errno (ENOSYS on other systems).
int cpty_become_subreaper(void);

/// Blocks until some child of the caller has exited and returns its pid without reaping it (`waitid` with
/// `WNOWAIT`), or a negative errno (-ECHILD when there is no child).
pid_t cpty_wait_exited_child(void);

/// Sends `sig` to every live descendant of `root` found through /proc's parent links (zombies skipped). Each is
/// signalled through a pidfd opened before its start time is checked again, so a recycled pid is never signalled.
/// Then, when `timeout_ms` > 0, waits on those pidfds up to that long for all of them to terminate. Returns how many
/// were signalled (0: no live descendant), or a negative errno. Linux only; elsewhere returns 0.
int cpty_signal_descendants(pid_t root, int sig, int timeout_ms);

#endif
