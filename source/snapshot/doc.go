// Package snapshot records an inventory to a file and reads it back, so a
// live scan can be replayed and compared offline.
//
// A snapshot is the versioned inventory JSON of package entity (see
// entity.Inventory): the entities, the scopes with their regions, what
// could not be collected and why, when it was collected and by which vigil.
// It never holds credentials: sources put none in an inventory.
//
// Save writes atomically (a temporary file renamed into place), so an
// interrupted collection never leaves half a snapshot behind. Load checks
// the document beyond its syntax: every entity and failure must belong to
// one of its scopes, and entity IDs are unique within a scope and type.
package snapshot
