/* pg_sql.h — the text work of the PostgreSQL backend, kept apart so the
 * unit tests can reach it: portable ?N parameters to PostgreSQL's $N,
 * reals written the way SQLite writes them, and fangyi's own town=
 * parameter of a database URL. */
#ifndef FANGYI_PG_SQL_H
#define FANGYI_PG_SQL_H

#include <stddef.h>

/* pg_sql_rewrite copies sql into a new string (*out, free it) with every
 * ?N parameter written $N and a bare ? numbered after the largest before
 * it (as SQLite numbers it).  Quoted strings, quoted names and comments
 * are copied as they are.  Returns the largest parameter number (0: none). */
int pg_sql_rewrite(const char *sql, char **out);

/* pg_sql_real_text writes v as SQLite's text of a REAL: 15 significant
 * digits and always a decimal point (37.0, 36.6, 1.0e+20). */
void pg_sql_real_text(double v, char *out, size_t n);

/* pg_url_town splits fangyi's town=NAME out of a database URL's query
 * (postgres://u@h/county?town=shanwang): *conn_url (free it) is the URL
 * without it, for libpq, and town the name ("" when the URL has none: the
 * schema public).  A town is a PostgreSQL schema of the database, so the
 * name is plain: a-z, 0-9 and _, a letter first, at most 63 bytes, not
 * pg_… or information_schema (PostgreSQL's own).  Returns 0, or -1 with why (n bytes) saying
 * what is wrong and *conn_url NULL. */
int pg_url_town(const char *url, char **conn_url, char town[64], char *why,
                size_t n);
/* pg_town_name_ok: whether name may be a town's (pg_url_town's rule). */
int pg_town_name_ok(const char *name);

#endif
