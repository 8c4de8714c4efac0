/* main.c — fangyi's command table and dispatch.
 *
 * One table names every command with its handler, flags, argument count
 * and help; `fangyi help` is printed from it.  Unknown commands and flags
 * are a usage error: one line on stderr and exit status 2. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/secret.h"
#include "cli/cli.h"

static int cmd_help(const CliArgs *a);
static int cmd_version(const CliArgs *a);

static const Command commands[] = {
    {"init", cmd_init, {"town", "tz"}, 1, 1,
     "init DB --town NAME [--tz Asia/Shanghai]",
     "create a database: the town and the account admin"},
    {"demo", cmd_demo, {0}, 1, 1, "demo DB",
     "create a database holding the demo town 山旺镇 as of 2020-02-10"
     " (16 villages, 57 points, 421 returnees under home isolation,"
     " checks, checkpoint traffic, ledgers, an account of each role);"
     " admin password as for init, staff password $FANGYI_PASSWORD or"
     " generated and printed"},
    {"serve", cmd_serve,
     {"listen", "threads", "quiet!", "test-clock", "sweep-seconds", "tls-cert",
      "tls-key"}, 1, 1,
     "serve DB [--listen 127.0.0.1:8080] [--threads N] [--quiet]"
     " [--sweep-seconds 60] [--tls-cert FILE.pem --tls-key FILE.pem]"
     " [--test-clock FILE (tests only)]",
     "run the web app and the JSON API (HTTPS with --tls-cert and"
     " --tls-key: a PEM certificate chain and its unencrypted key)"},
    {"user", cmd_user, {"role", "villages", "name"}, 2, 4,
     "user add|list|passwd|disable|enable|role DB [USERNAME] [ROLE]"
     " [--role R] [--villages A,B] [--name N]",
     "manage staff accounts (passwords from $FANGYI_PASSWORD)"},
    {"place", cmd_place, {"type", "village"}, 2, 4,
     "place add|list|rename|deactivate|activate DB [NAME|VILLAGE/NAME|ID]"
     " [NEW_NAME] [--type village|grid|point|venue] [--village V]",
     "manage villages, grids, prevention points and venues"},
    {"import", cmd_import, {"skip-invalid!", "rejects", "dry-run!"}, 3, 3,
     "import DB places|people|supplies|disinfection|visitors|inspections|"
     "enterprises FILE.csv [--skip-invalid] [--rejects OUT.csv] [--dry-run]",
     "import places (类型,名称,所属村) or the people register (姓名,"
     "身份证号,...,所属村) from CSV; people: --skip-invalid keeps the good"
     " rows and writes the bad ones to FILE.rejects.csv; the ledgers"
     " (docs/api-ledgers.md) all or nothing"},
    {"export", cmd_export,
     {"format", "out", "village", "full!", "from", "to"}, 2, 2,
     "export DB people|supplies|disinfection|visitors|inspections|"
     "enterprises [--format csv|xlsx] [--out FILE] [--village NAME]"
     " [--full] [--from D --to D (ledgers)]",
     "export the people register or a ledger (ID numbers and phones"
     " masked unless --full; audited)"},
    {"audit", cmd_audit, {"limit"}, 2, 2,
     "audit verify|list DB [--limit N]",
     "check the audit log's hash chain, or list it"},
    {"report", cmd_report, {"date", "format", "out", "test-clock"}, 1, 1,
     "report DB [--date YYYY-MM-DD] [--format text|json|csv|xlsx]"
     " [--out FILE] [--test-clock FILE (tests only)]",
     "the daily report of a day (docs/report.md); CSV and XLSX in the"
     " upper level's shape"},
    {"signoff", cmd_signoff, {"date", "as", "note", "version", "format"}, 2,
     2,
     "signoff sign|list|show DB --date YYYY-MM-DD [--as USERNAME]"
     " [--note TEXT] [--version N] [--format text|json]",
     "sign off a day's report as an account with report.sign (frozen as"
     " the day's next version), list the versions with their differences"
     " and what changed since, or show one version's frozen JSON"},
    {"routes", cmd_routes, {0}, 0, 0, "routes",
     "print the API's route table as JSON: method, pattern, capability"
     " (null: any signed-in account), public, bodyless, csv_body"},
    {"backup", cmd_backup, {"force!"}, 2, 2, "backup DB FILE [--force]",
     "a consistent copy of the database while the server keeps running"
     " (refuses an existing FILE without --force)"},
    {"restore", cmd_restore, {"force!"}, 2, 2, "restore FILE DB [--force]",
     "put a backup back: checked first (integrity, schema, audit chain),"
     " then renamed into place; refuses an existing DB without --force"
     " and a DB a running server has open"},
    {"purge", cmd_purge, {"before", "dry-run!"}, 1, 1,
     "purge DB --before YYYY-MM-DD [--dry-run]",
     "end of the epidemic: anonymise the personal data of people whose"
     " records all lie before the day (docs/purge.md); irreversible and"
     " audited; --dry-run counts what would change"},
    {"migrate-data", cmd_migrate_data, {"batch"}, 2, 2,
     "migrate-data SQLITE_DB postgres://...[?town=NAME] [--batch 1000]",
     "move a township's database into an empty PostgreSQL database, or"
     " into a town of a county's database (?town=NAME, each town a schema"
     " of its own): resumable (run it again after an interruption),"
     " checked by row counts and checksums and the audit chain"
     " (docs/migrate-data.md)"},
    {"county", cmd_county, {"date", "format", "test-clock"}, 1, 1,
     "county postgres://... [--date YYYY-MM-DD] [--format text|json]"
     " [--test-clock FILE (tests only)]",
     "the county's daily report: every town of a county's PostgreSQL"
     " database (each ?town=NAME) with its figures, and the towns added"
     " up (docs/deploy.md)"},
    {"help", cmd_help, {0}, 0, 1, "help [COMMAND]", "this help"},
    {"version", cmd_version, {0}, 0, 0, "version", "print the version"},
    {NULL, NULL, {0}, 0, 0, NULL, NULL},
};

static const Command *find_command(const char *name)
{
    for (const Command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fangyi: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see fangyi help)\n", stderr);
    va_end(ap);
    return 2;
}

/* Split argv into positional arguments and known flags. */
static int parse_args(const Command *c, int argc, char **argv, CliArgs *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = c;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "--", 2) != 0) {
            if (a->npos == CLI_MAX_POS || a->npos == c->max_pos)
                return usage_error("%s: too many arguments", c->name);
            a->pos[a->npos++] = s;
            continue;
        }
        int k;
        size_t n = strlen(s + 2);
        for (k = 0; k < CLI_MAX_FLAGS && c->flags[k]; k++)
            if (strncmp(c->flags[k], s + 2, n) == 0 &&
                (c->flags[k][n] == '\0' || c->flags[k][n] == '!'))
                break;
        if (k == CLI_MAX_FLAGS || !c->flags[k])
            return usage_error("%s: unknown flag %s", c->name, s);
        if (c->flags[k][n] == '!') {
            a->flags[k] = "1";
        } else {
            if (i + 1 >= argc)
                return usage_error("%s: %s needs a value", c->name, s);
            a->flags[k] = argv[++i];
        }
    }
    if (a->npos < c->min_pos)
        return usage_error("%s: missing arguments: fangyi %s", c->name,
                           c->usage);
    return 0;
}

static int cmd_help(const CliArgs *a)
{
    if (a->npos == 1) {
        const Command *c = find_command(a->pos[0]);
        if (!c)
            return usage_error("unknown command %s", a->pos[0]);
        printf("usage: fangyi %s\n  %s\n", c->usage, c->help);
        return 0;
    }
    printf("fangyi — epidemic prevention and control for a township\n\n"
           "usage: fangyi COMMAND [ARGS]\n\n");
    for (const Command *c = commands; c->name; c++)
        printf("  %-8s %s\n           fangyi %s\n", c->name, c->help,
               c->usage);
    printf("\nDB is the path of a SQLite database file (a township), or a"
           " PostgreSQL URL\npostgres://USER@HOST:PORT/DATABASE (a county:"
           " ?town=NAME picks a town's schema;\nthe password from"
           " PGPASSWORD or a pgpass file, never in the URL).\n");
    return 0;
}

static int cmd_version(const CliArgs *a)
{
    (void)a;
    printf("fangyi %s\n", FANGYI_VERSION);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cmd_help(&(CliArgs){0});
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(&(CliArgs){0});
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(NULL);
    const Command *c = find_command(argv[1]);
    if (!c)
        return usage_error("unknown command %s", argv[1]);
    CliArgs a;
    int rc = parse_args(c, argc - 2, argv + 2, &a);
    if (rc)
        return rc;
    if (secret_init()) {
        fprintf(stderr, "fangyi: libsodium cannot start\n");
        return 1;
    }
    return c->run(&a);
}
