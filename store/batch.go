package store

import (
	"context"
	"database/sql"
	"strings"
)

// maxParams bounds the placeholders of one statement, under both
// databases' limits (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

// maxBatchRows bounds the rows of one multi-row INSERT.
const maxBatchRows = 500

// insertRows inserts rows (each a value per column) into table, as
// multi-row INSERTs of up to maxBatchRows rows.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	return s.insertReturning(ctx, tx, table, cols, rows, "", nil)
}

// insertReturning is insertRows with a RETURNING clause: scan is called on
// each row it returns. (The order of returned rows is not guaranteed:
// return the columns that tell which row was inserted.)
func (s *Store) insertReturning(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any,
	returning string, scan func(*sql.Rows) error) error {
	per := max(1, min(maxBatchRows, maxParams/len(cols)))
	for lo := 0; lo < len(rows); lo += per {
		batch := rows[lo:min(lo+per, len(rows))]
		q, args := insertStatement(table, cols, batch)
		if returning == "" {
			if _, err := s.exec(ctx, tx, q, args...); err != nil {
				return err
			}
			continue
		}
		if err := s.scanAll(ctx, tx, q+" RETURNING "+returning, args, scan); err != nil {
			return err
		}
	}
	return nil
}

// insertStatement builds "INSERT INTO table (cols) VALUES (?, ...), ..."
// and its arguments.
func insertStatement(table string, cols []string, rows [][]any) (string, []any) {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	args := make([]any, 0, len(rows)*len(cols))
	for i, row := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
		args = append(args, row...)
	}
	return b.String(), args
}

// scanAll runs a query and calls scan on each row.
func (s *Store) scanAll(ctx context.Context, q querier, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// placeholders is "?, ?, ..." for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// inBatches calls fn on successive slices of values of at most
// maxBatchRows, for queries of the form "... IN (?, ...)".
func inBatches[T any](values []T, fn func([]T) error) error {
	for lo := 0; lo < len(values); lo += maxBatchRows {
		if err := fn(values[lo:min(lo+maxBatchRows, len(values))]); err != nil {
			return err
		}
	}
	return nil
}
