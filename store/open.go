package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	// The two database drivers; no other package of vigil imports them.
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Store is vigil's history: the runs recorded in one database. It is safe
// for concurrent use.
type Store struct {
	db *sql.DB
	d  *dialect
	// where names the database for messages: the SQLite file, or the
	// PostgreSQL DSN without its password.
	where string
}

// busyTimeoutMillis is how long a SQLite connection waits for another
// writer (another vigil recording a run) before it gives up.
const busyTimeoutMillis = 10000

// Open opens the store that dsn names, creating it if needed, and brings
// its schema up to date (see migrations). dsn is one of
//
//   - "": the SQLite file at DefaultPath;
//   - a postgres:// or postgresql:// URL: a PostgreSQL database, which
//     must exist (the tables are created in it);
//   - anything else: the path of a SQLite file, created if missing.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	path := dsn
	if path == "" {
		p, err := DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	return openSQLite(ctx, path)
}

// DefaultPath is the SQLite file Open uses for an empty DSN:
// $XDG_DATA_HOME/vigil/history.db when XDG_DATA_HOME is set; else, on
// Linux and the BSDs, ~/.local/share/vigil/history.db; else vigil/history.db
// in os.UserConfigDir (~/Library/Application Support on macOS, %AppData%
// on Windows).
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "vigil", "history.db"), nil
	}
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "plan9":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("no directory for the history store: %w", err)
		}
		return filepath.Join(dir, "vigil", "history.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no directory for the history store: %w", err)
	}
	return filepath.Join(home, ".local", "share", "vigil", "history.db"), nil
}

// openSQLite opens (or creates) the SQLite store at path. The file is
// created readable by its owner alone: it holds findings about someone's
// security. The connection uses WAL (readers never wait for the writer),
// waits busyTimeoutMillis for a lock, checks foreign keys, and begins
// every transaction IMMEDIATE, taking the write lock at once, so that two
// writers queue instead of failing half-way.
func openSQLite(ctx context.Context, path string) (*Store, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("history store %s: a SQLite path may not contain ? or #", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("history store: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("history store: %w", err)
	}
	f.Close()
	dsn := "file:" + path + "?" + url.Values{
		// busy_timeout comes first: the pragmas run in order, and
		// switching to WAL needs the lock that another process opening
		// the same new file may hold.
		"_pragma": {fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis), "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"},
		"_txlock": {"immediate"},
	}.Encode()
	// Processes that open a new file at once (shards of one scan) race to
	// switch it to WAL and create the schema; SQLite answers the losers
	// SQLITE_BUSY at once, whatever the busy timeout. They try again.
	deadline := time.Now().Add(time.Duration(busyTimeoutMillis) * time.Millisecond)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		db, err := sql.Open(sqliteDialect.driver, dsn)
		if err != nil {
			return nil, fmt.Errorf("history store %s: %w", path, err)
		}
		s, err := start(ctx, db, sqliteDialect, path)
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("history store %s: %w", path, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// openPostgres connects to the PostgreSQL database dsn names.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	where := dsn
	if u, err := url.Parse(dsn); err == nil {
		where = u.Redacted()
	}
	db, err := sql.Open(postgresDialect.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("history store %s: %w", where, err)
	}
	return start(ctx, db, postgresDialect, where)
}

// start checks the connection and migrates the schema.
func start(ctx context.Context, db *sql.DB, d *dialect, where string) (*Store, error) {
	s := &Store{db: db, d: d, where: where}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("history store %s: %w", where, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("history store %s: %w", where, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// String names the store: its SQLite file or its PostgreSQL URL without
// the password.
func (s *Store) String() string { return s.where }

// Dialect is "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// ErrNotFound is returned when a run or finding asked for is not in the
// store.
var ErrNotFound = errors.New("not in the history store")

// exec runs a statement, its placeholders rebound for the dialect.
func (s *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	return q.ExecContext(ctx, s.d.rebind(query), args...)
}

// query runs a query, its placeholders rebound for the dialect.
func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, s.d.rebind(query), args...)
}

// queryRow runs a query of one row, its placeholders rebound.
func (s *Store) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, s.d.rebind(query), args...)
}

// querier is a database or a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
