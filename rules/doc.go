// Package rules defines posture rules as data: their model (Rule), the YAML
// file format they are written in, the catalog embedded in vigil, and the
// compliance frameworks they map to.
package rules
