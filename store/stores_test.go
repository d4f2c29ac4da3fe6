package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// postgresEnvVar names the PostgreSQL database the tests run on, as a
// postgres:// URL. .ci/run starts a PostgreSQL server and sets it.
const postgresEnvVar = "VIGIL_POSTGRES_DSN"

// storeKinds runs test on a new SQLite store and on a new PostgreSQL store,
// each a subtest named by the database. Without VIGIL_POSTGRES_DSN the
// PostgreSQL subtest is skipped, except under CI=true, where it fails.
func storeKinds(t *testing.T, test func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) {
		test(t, filepath.Join(t.TempDir(), "history.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		test(t, postgresDSN(t))
	})
}

// postgresDSN returns the DSN of a new, empty PostgreSQL schema on the
// server VIGIL_POSTGRES_DSN names, dropped when the test ends.
func postgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(postgresEnvVar)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set under CI=true: .ci/run starts PostgreSQL and sets it", postgresEnvVar)
		}
		t.Skipf("%s is not set: run .ci/run, or start PostgreSQL and set %s=postgres://USER@127.0.0.1:PORT/DB", postgresEnvVar, postgresEnvVar)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "vigil_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("creating a schema on %s: %v", postgresEnvVar, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openStore opens the store dsn names and closes it when the test ends.
func openStore(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
