/*
 * c_insert — the "plain C against libsqlite3" peer for decoy's storage benchmark.
 *
 * Workload (the same as benchmarks/workload.yaml): N postings, each observed for 48 h, with
 * contacts from the inhomogeneous Poisson process
 *     lambda(t) = initial * 2^(-t/half_life) + baseline,   initial 150/h, half_life 3.6 h,
 *                                                         baseline 0.5/h
 * (about 803 contacts per posting). Sampling is by inversion of the cumulative intensity,
 * the same algorithm decoy uses: with unit exponentials E1, E2, ... contact k is at
 * Lambda^-1(E1 + ... + Ek), Lambda^-1 solved by Newton's method (monotone on the concave
 * Lambda). Each posting has its own xoshiro256** stream seeded by splitmix64 from
 * (seed, posting). Per contact one uniform picks the channel (a single channel here, as in
 * the workload) and one the contactor (floor(U * 10000)), as decoy draws them.
 *
 * Phases, timed separately:
 *   simulate  all contacts into memory (posting order, time order within a posting)
 *   store     one prepared INSERT, one transaction, WAL, synchronous=NORMAL; with --batch R
 *             (default 1) the statement inserts R rows per execution (multi-row VALUES, bound
 *             parameter by parameter), the tail one row at a time
 *   index     CREATE INDEX contacts_by_posting ON contacts (run_id, posting_id, t_us)
 *             (layout "rowid", the default); 0 for layout "without-rowid", whose primary key
 *             (run_id, posting_id, seq) is the index and is filled during the insert, and for
 *             layout "ranges" (decoy's from schema 6): contacts (contact_id INTEGER PRIMARY KEY,
 *             t_us, channel_id, contactor) numbered in posting order, and a postings table
 *             (run_id, posting_id, first_contact, contact_count) WITHOUT ROWID holding each
 *             posting's id range, stored in the same transaction
 *   curves    read every contact back through the index in (posting, t) order and compute
 *             the mean cumulative count per posting on the hourly grid and the Kaplan-Meier
 *             estimate of time to first contact on the same grid (no censoring in this
 *             workload: every window is the full horizon)
 *
 * Build:  gcc -O2 c_insert.c -lsqlite3 -lm -o c_insert
 * Usage:  c_insert POSTINGS DB_PATH [--layout rowid|without-rowid|ranges] [--batch R] [--seed N] [--no-curves]
 * Prints one line:
 *   peer=c_insert layout=… batch=R postings=N contacts=K simulate_s=… store_s=… index_s=…
 *   run_s=… curves_s=… total_s=… rows_per_s=… db_bytes=… maxrss_kb=…
 * where run_s = simulate+store+index (what `decoy run` does) and rows_per_s = K / run_s.
 * Sanity figures (mcf at the horizon, KM at 1 h) go to standard error.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#define HORIZON_H 48.0
#define INITIAL 150.0
#define HALF_LIFE 3.6
#define BASELINE 0.5
#define POPULATION 10000
#define US_PER_H 3600000000.0

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- generator: splitmix64 seeding xoshiro256** ---- */
static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
typedef struct { uint64_t s[4]; } rng_t;
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline uint64_t next_u64(rng_t *r) {
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
}
static inline double uniform(rng_t *r) { return (next_u64(r) >> 11) * 0x1.0p-53; }
static inline double expo(rng_t *r) { return -log1p(-uniform(r)); }
static void seed_stream(rng_t *r, uint64_t seed, uint64_t posting) {
    uint64_t x = seed ^ (posting * 0xD1B54A32D192ED03ull);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

/* ---- the model ---- */
static const double K = M_LN2 / HALF_LIFE; /* 2^(-t/h) = exp(-K t) */
static inline double Lambda(double t) { return INITIAL / K * -expm1(-K * t) + BASELINE * t; }
static inline double lambda(double t) { return INITIAL * exp(-K * t) + BASELINE; }
/* Smallest t >= from with Lambda(t) = target (target > Lambda(from)); Newton from the left. */
static double invert(double target, double from) {
    double t = from;
    for (int i = 0; i < 100; i++) {
        double step = (target - Lambda(t)) / lambda(t);
        if (!(step > 0)) break;
        double next = t + step;
        if (next == t) break;
        t = next;
        if (step < 1e-15 * (t > 1 ? t : 1)) break;
    }
    return t;
}

typedef struct { int32_t posting, seq; int64_t t_us; int32_t channel, contactor; } contact_t;

static void die(sqlite3 *db, const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}
static void exec(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "error: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s POSTINGS DB_PATH [--layout rowid|without-rowid|ranges] [--batch R] [--seed N] [--no-curves]\n", argv[0]);
        return 64;
    }
    long postings = strtol(argv[1], NULL, 10);
    const char *path = argv[2];
    int without_rowid = 0, ranges = 0, curves = 1, batch = 1;
    uint64_t seed = 1;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--layout") && i + 1 < argc) {
            i++;
            if (!strcmp(argv[i], "without-rowid")) without_rowid = 1;
            else if (!strcmp(argv[i], "ranges")) ranges = 1;
            else if (strcmp(argv[i], "rowid")) { fprintf(stderr, "error: unknown layout %s\n", argv[i]); return 64; }
        } else if (!strcmp(argv[i], "--batch") && i + 1 < argc) {
            batch = atoi(argv[++i]);
            if (batch < 1 || batch > 1000) { fprintf(stderr, "error: --batch takes 1 to 1000\n"); return 64; }
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--no-curves")) {
            curves = 0;
        } else { fprintf(stderr, "error: unknown argument %s\n", argv[i]); return 64; }
    }
    if (postings <= 0) { fprintf(stderr, "error: POSTINGS must be positive\n"); return 64; }
    /* Start from an empty file, like `decoy run --db NEW`. */
    char side[4096];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path); remove(side);
    snprintf(side, sizeof side, "%s-shm", path); remove(side);

    double t0 = now();

    /* ---- simulate ---- */
    size_t cap = (size_t)postings * 900, n = 0;
    contact_t *c = malloc(cap * sizeof *c);
    if (!c) { fprintf(stderr, "error: out of memory\n"); return 1; }
    const double total = Lambda(HORIZON_H);
    for (long p = 0; p < postings; p++) {
        rng_t r;
        seed_stream(&r, seed, (uint64_t)p);
        double cum = 0, t = 0;
        int32_t seq = 0;
        size_t first = n;
        for (;;) {
            cum += expo(&r);
            if (cum > total) break;
            t = invert(cum, t);
            if (t > HORIZON_H) break;
            if (n == cap) {
                cap *= 2;
                c = realloc(c, cap * sizeof *c);
                if (!c) { fprintf(stderr, "error: out of memory\n"); return 1; }
            }
            c[n].posting = (int32_t)p;
            c[n].seq = seq++;
            c[n].t_us = llround(t * US_PER_H);
            n++;
        }
        for (size_t i = first; i < n; i++) { /* channel and contactor, in time order */
            (void)uniform(&r); /* one channel, weight 1: the draw is made and always picks 0 */
            c[i].channel = 0;
            c[i].contactor = (int32_t)(uniform(&r) * POPULATION);
        }
    }
    double t1 = now();

    /* ---- store ---- */
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK) die(db, "open");
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA synchronous=NORMAL");
    if (ranges) {
        exec(db, "CREATE TABLE postings (run_id INTEGER NOT NULL, posting_id INTEGER NOT NULL, first_contact INTEGER NOT NULL, "
                 "contact_count INTEGER NOT NULL, PRIMARY KEY (run_id, posting_id)) WITHOUT ROWID");
        exec(db, "CREATE TABLE contacts (contact_id INTEGER PRIMARY KEY, t_us INTEGER NOT NULL, channel_id INTEGER NOT NULL, "
                 "contactor INTEGER)");
    } else if (without_rowid)
        exec(db, "CREATE TABLE contacts (run_id INTEGER NOT NULL, posting_id INTEGER NOT NULL, "
                 "seq INTEGER NOT NULL, t_us INTEGER NOT NULL, channel INTEGER NOT NULL, "
                 "contactor INTEGER, PRIMARY KEY (run_id, posting_id, seq)) WITHOUT ROWID");
    else
        exec(db, "CREATE TABLE contacts (run_id INTEGER NOT NULL, posting_id INTEGER NOT NULL, "
                 "seq INTEGER NOT NULL, t_us INTEGER NOT NULL, channel INTEGER NOT NULL, "
                 "contactor INTEGER)");
    sqlite3_stmt *ins, *many = NULL;
    /* ranges: SQLite numbers the rows itself, one past the largest id (1, 2, … here), which
       appends without searching the tree for a bound id */
    const int width = ranges ? 3 : 6; /* parameters a row */
    if (sqlite3_prepare_v2(db, ranges ? "INSERT INTO contacts (t_us, channel_id, contactor) VALUES (?1, ?2, ?3)"
                                      : "INSERT INTO contacts VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, &ins, NULL) != SQLITE_OK)
        die(db, "prepare insert");
    if (batch > 1) {
        char *sql = malloc(64 + (size_t)batch * 16);
        strcpy(sql, ranges ? "INSERT INTO contacts (t_us, channel_id, contactor) VALUES " : "INSERT INTO contacts VALUES ");
        for (int k = 0; k < batch; k++) strcat(sql, ranges ? (k ? ",(?,?,?)" : "(?,?,?)") : (k ? ",(?,?,?,?,?,?)" : "(?,?,?,?,?,?)"));
        if (sqlite3_prepare_v2(db, sql, -1, &many, NULL) != SQLITE_OK) die(db, "prepare multi-row insert");
        free(sql);
    }
    exec(db, "BEGIN");
    if (ranges) { /* each posting's id range: contacts are numbered from 1 in posting order */
        sqlite3_stmt *pst;
        if (sqlite3_prepare_v2(db, "INSERT INTO postings VALUES (1, ?1, ?2, ?3)", -1, &pst, NULL) != SQLITE_OK) die(db, "prepare postings");
        size_t j = 0;
        for (long p = 0; p < postings; p++) {
            size_t first = j;
            while (j < n && c[j].posting == p) j++;
            sqlite3_bind_int64(pst, 1, p);
            sqlite3_bind_int64(pst, 2, (int64_t)first + 1);
            sqlite3_bind_int64(pst, 3, (int64_t)(j - first));
            if (sqlite3_step(pst) != SQLITE_DONE) die(db, "insert posting");
            sqlite3_reset(pst);
        }
        sqlite3_finalize(pst);
    }
    size_t i = 0;
    if (many) {
        for (; i + batch <= n; i += batch) {
            for (int k = 0; k < batch; k++) {
                const contact_t *x = &c[i + k];
                int b = width * k;
                if (ranges) {
                    sqlite3_bind_int64(many, b + 1, x->t_us);
                    sqlite3_bind_int64(many, b + 2, x->channel);
                    sqlite3_bind_int64(many, b + 3, x->contactor);
                    continue;
                }
                sqlite3_bind_int64(many, b + 1, 1);
                sqlite3_bind_int64(many, b + 2, x->posting);
                sqlite3_bind_int64(many, b + 3, x->seq);
                sqlite3_bind_int64(many, b + 4, x->t_us);
                sqlite3_bind_int64(many, b + 5, x->channel);
                sqlite3_bind_int64(many, b + 6, x->contactor);
            }
            if (sqlite3_step(many) != SQLITE_DONE) die(db, "insert");
            sqlite3_reset(many);
        }
        sqlite3_finalize(many);
    }
    for (; i < n; i++) {
        if (ranges) {
            sqlite3_bind_int64(ins, 1, c[i].t_us);
            sqlite3_bind_int64(ins, 2, c[i].channel);
            sqlite3_bind_int64(ins, 3, c[i].contactor);
            if (sqlite3_step(ins) != SQLITE_DONE) die(db, "insert");
            sqlite3_reset(ins);
            continue;
        }
        sqlite3_bind_int64(ins, 1, 1);
        sqlite3_bind_int64(ins, 2, c[i].posting);
        sqlite3_bind_int64(ins, 3, c[i].seq);
        sqlite3_bind_int64(ins, 4, c[i].t_us);
        sqlite3_bind_int64(ins, 5, c[i].channel);
        sqlite3_bind_int64(ins, 6, c[i].contactor);
        if (sqlite3_step(ins) != SQLITE_DONE) die(db, "insert");
        sqlite3_reset(ins);
    }
    exec(db, "COMMIT");
    sqlite3_finalize(ins);
    double t2 = now();

    /* ---- index ---- */
    if (!without_rowid && !ranges) exec(db, "CREATE INDEX contacts_by_posting ON contacts (run_id, posting_id, t_us)");
    double t3 = now();
    free(c);

    /* ---- curves: read back per posting through the index ---- */
    double t4 = t3;
    if (curves) {
        enum { G = 49 }; /* 0 h … 48 h */
        double *count_le = calloc(G, sizeof(double)); /* contacts with t <= g hours */
        long *first_le = calloc(G, sizeof(long));      /* postings with first contact <= g */
        sqlite3_stmt *sel;
        const char *query = ranges
            ? "SELECT p.posting_id, c.t_us FROM postings AS p CROSS JOIN contacts AS c ON c.contact_id >= p.first_contact "
              "AND c.contact_id < p.first_contact + p.contact_count WHERE p.run_id = 1 ORDER BY p.posting_id, c.contact_id"
            : "SELECT posting_id, t_us FROM contacts WHERE run_id = 1 ORDER BY posting_id, t_us";
        if (sqlite3_prepare_v2(db, query, -1, &sel, NULL) != SQLITE_OK)
            die(db, "prepare select");
        long last_posting = -1, read = 0;
        int rc;
        while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
            long p = (long)sqlite3_column_int64(sel, 0);
            int64_t us = sqlite3_column_int64(sel, 1);
            int g = (int)ceil(us / US_PER_H); /* first grid point at or after t */
            if (g < G) count_le[g] += 1;
            if (p != last_posting) { if (g < G) first_le[g]++; last_posting = p; }
            read++;
        }
        if (rc != SQLITE_DONE) die(db, "select");
        sqlite3_finalize(sel);
        double cum = 0; long firsts = 0;
        for (int g = 0; g < G; g++) { cum += count_le[g]; count_le[g] = cum / postings; firsts += first_le[g]; first_le[g] = firsts; }
        fprintf(stderr, "c_insert: read %ld rows; mcf(1h)=%.4f mcf(48h)=%.4f km_no_contact(1h)=%.6f\n",
                read, count_le[1], count_le[G - 1], 1.0 - (double)first_le[1] / postings);
        free(count_le); free(first_le);
        t4 = now();
    }
    sqlite3_close(db);

    struct stat st; long long bytes = 0;
    if (stat(path, &st) == 0) bytes = st.st_size;
    snprintf(side, sizeof side, "%s-wal", path);
    if (stat(side, &st) == 0) bytes += st.st_size;
    struct rusage ru; getrusage(RUSAGE_SELF, &ru);
    double run_s = t3 - t0;
    printf("peer=c_insert layout=%s batch=%d postings=%ld contacts=%zu simulate_s=%.3f store_s=%.3f index_s=%.3f "
           "run_s=%.3f curves_s=%.3f total_s=%.3f rows_per_s=%.0f db_bytes=%lld maxrss_kb=%ld\n",
           ranges ? "ranges" : without_rowid ? "without-rowid" : "rowid", batch, postings, n, t1 - t0, t2 - t1, t3 - t2,
           run_s, t4 - t3, t4 - t0, n / run_s, bytes, ru.ru_maxrss);
    return 0;
}
