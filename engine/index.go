package engine

import (
	"slices"
	"sync"
	"vigil/entity"
)

// The index groups an inventory for evaluation, once per run, and freezes
// the entities rules read (entity.Freeze): every rule reads the same
// frozen attributes, by type and by scope.

// index groups an inventory for evaluation: entities by type and by scope,
// and failures by type. It is read-only once built and shared by all rules.
type index struct {
	scopes  []entity.Scope
	scopeBy map[string]entity.Scope
	byType  map[string][]indexed
	// items[type][scope] is the List<E> items of one scope, built once.
	items map[string]map[string][]any
	// entities[type][scope] are the entities of items[type][scope], in the
	// same order, to name the elements a List<E> finding's message names.
	entities map[string]map[string][]*entity.Entity
	// roots[type][scope] is {"items": items[type][scope]}, frozen: what
	// List<E> rules evaluate; built once, read by every rule.
	roots    map[string]map[string]any
	failures map[string][]entity.Failure
}

// newIndex indexes an inventory for rules on the entity types targets.
// Entities of other types only declare their scopes: no rule reads them.
func newIndex(inv *entity.Inventory, targets map[string]bool, workers int) *index {
	idx := &index{scopeBy: map[string]entity.Scope{}, byType: map[string][]indexed{},
		items: map[string]map[string][]any{}, entities: map[string]map[string][]*entity.Entity{}, failures: map[string][]entity.Failure{}}
	for _, s := range inv.Scopes {
		if _, dup := idx.scopeBy[s.ID]; dup {
			continue
		}
		idx.scopes = append(idx.scopes, s)
		idx.scopeBy[s.ID] = s
	}
	var wanted []indexed
	for _, e := range inv.Entities {
		if _, ok := idx.scopeBy[e.Scope]; !ok {
			// An entity in a scope the inventory does not declare: its
			// kind is not known.
			s := entity.Scope{ID: e.Scope}
			idx.scopes = append(idx.scopes, s)
			idx.scopeBy[e.Scope] = s
		}
		if targets[e.Type] {
			wanted = append(wanted, indexed{e: e})
		}
	}
	freezeAll(wanted, workers)
	for _, ie := range wanted {
		e, attrs := ie.e, ie.attrs
		idx.byType[e.Type] = append(idx.byType[e.Type], ie)
		byScope := idx.items[e.Type]
		if byScope == nil {
			byScope = map[string][]any{}
			idx.items[e.Type] = byScope
		}
		byScope[e.Scope] = append(byScope[e.Scope], attrs)
		ents := idx.entities[e.Type]
		if ents == nil {
			ents = map[string][]*entity.Entity{}
			idx.entities[e.Type] = ents
		}
		ents[e.Scope] = append(ents[e.Scope], e)
	}
	for _, f := range inv.Failures {
		idx.failures[f.Type] = append(idx.failures[f.Type], f)
	}
	// A failure of any type (a broken file whose resources could not be
	// told) concerns the rules on every type.
	if anyType := idx.failures[entity.AnyType]; len(anyType) > 0 {
		for typ := range targets {
			if typ != entity.AnyType {
				idx.failures[typ] = slices.Concat(idx.failures[typ], anyType)
			}
		}
	}
	idx.roots = make(map[string]map[string]any, len(idx.items))
	for typ, byScope := range idx.items {
		roots := make(map[string]any, len(byScope))
		for scope, items := range byScope {
			roots[scope] = entity.Freeze(map[string]any{"items": items})
		}
		idx.roots[typ] = roots
	}
	return idx
}

// freezeAll sets the frozen attributes of every entity, on up to workers
// goroutines. Rules read each entity many times: they read it in its
// frozen form (entity.Freeze), several times faster than the maps.
func freezeAll(es []indexed, workers int) {
	const chunk = 64
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(workers, 1))
	for lo := 0; lo < len(es); lo += chunk {
		part := es[lo:min(lo+chunk, len(es))]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for i := range part {
				part[i].attrs = entity.Freeze(part[i].e.Attrs)
			}
		})
	}
	wg.Wait()
}

// indexed is an entity and its attributes frozen for evaluation.
type indexed struct {
	e     *entity.Entity
	attrs any
}

// root returns what a List<E> rule evaluates for one scope.
func (idx *index) root(typ, scope string) any {
	if r, ok := idx.roots[typ][scope]; ok {
		return r
	}
	return map[string]any{"items": []any{}}
}
