package entity

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"unsafe"
)

// trailAttrs is a normalised CloudTrail the way sources build it.
func trailAttrs() map[string]any {
	return map[string]any{
		"name":               "main",
		"isMultiRegionTrail": true,
		"kmsKeyId":           nil,
		"retention":          365.0,
		"roleArn":            NewUnknown(UnknownSet, "known after apply"),
		"tags":               []any{"a", "b"},
		"status":             map[string]any{"isLogging": true, "latestDeliveryTime": "2026-11-21T10:00:00Z"},
		"metricFilters": []any{
			map[string]any{"filterName": "f1", "filterPattern": "{ $.eventName = CreateTrail }"},
			map[string]any{"filterName": "f2", "filterPattern": "?AccessDenied", "alarms": []any{}},
		},
		"nested": []any{[]any{map[string]any{}}},
	}
}

func TestFreezeKeepsEveryValue(t *testing.T) {
	orig := trailAttrs()
	want, err := json.Marshal(orig)
	if err != nil {
		t.Fatal(err)
	}
	frozen := Freeze(orig)
	o, ok := frozen.(*Object)
	if !ok {
		t.Fatalf("Freeze returned %T, want *Object", frozen)
	}
	got, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("frozen JSON\n%s\nwant\n%s", got, want)
	}
	if Format(frozen) != Format(orig) {
		t.Errorf("Format(frozen) = %s, want %s", Format(frozen), Format(orig))
	}
	if Kind(frozen) != "map" {
		t.Errorf("Kind = %s", Kind(frozen))
	}
	// The source's map is left as it was.
	if _, ok := orig["metricFilters"].([]any)[0].(map[string]any); !ok {
		t.Error("Freeze modified the list it was given")
	}
	// A list without maps is shared, not copied.
	tags, _ := o.Get("tags")
	if &tags.([]any)[0] != &orig["tags"].([]any)[0] {
		t.Error("a list of strings was copied")
	}
	mfs, _ := o.Get("metricFilters")
	if _, ok := mfs.([]any)[1].(*Object); !ok {
		t.Errorf("list element is %T, want *Object", mfs.([]any)[1])
	}
	nested, _ := o.Get("nested")
	if _, ok := nested.([]any)[0].([]any)[0].(*Object); !ok {
		t.Error("a map inside a list inside a list was not frozen")
	}
}

func TestFreezeWithoutMaps(t *testing.T) {
	for _, v := range []any{nil, true, 1.5, "s", []any{"a", 1.0}, NewUnknown(UnknownMaybeNull, "")} {
		if got := Freeze(v); fmt.Sprint(got) != fmt.Sprint(v) {
			t.Errorf("Freeze(%v) = %v", v, got)
		}
	}
}

func TestObjectGet(t *testing.T) {
	for _, size := range []int{0, 1, linearSearchMax, linearSearchMax + 1, 40} {
		m := map[string]any{}
		for i := range size {
			m[fmt.Sprintf("attr%02d", i)] = float64(i)
		}
		o := Freeze(m).(*Object)
		if o.Len() != size {
			t.Errorf("size %d: Len = %d", size, o.Len())
		}
		for i := range size {
			// A name that was not interned is found too.
			name := string([]byte(fmt.Sprintf("attr%02d", i)))
			if v, ok := o.Get(name); !ok || v != float64(i) {
				t.Errorf("size %d: Get(%s) = %v, %v", size, name, v, ok)
			}
		}
		for _, missing := range []string{"", "attr", "attr99", "zzz", "Attr00"} {
			if v, ok := o.Get(missing); ok || v != nil {
				t.Errorf("size %d: Get(%q) = %v, %v; want missing", size, missing, v, ok)
			}
		}
	}
}

// TestGetCached reads fields through one cache from objects of different
// shapes, sizes and missing fields, from several goroutines (run it with
// -race): every read must agree with Get.
func TestGetCached(t *testing.T) {
	var objects []*Object
	for _, size := range []int{0, 1, 3, linearSearchMax, linearSearchMax + 1, 40} {
		for _, prefix := range []string{"attr", "a", "zz"} {
			m := map[string]any{}
			for i := range size {
				m[fmt.Sprintf("%s%02d", prefix, i)] = fmt.Sprintf("%s-%d-%d", prefix, size, i)
			}
			objects = append(objects, Freeze(m).(*Object))
		}
	}
	names := []string{"attr00", "attr02", "attr12", "a05", "zz39", "attr", "", "missing"}
	caches := make([]FieldCache, len(names))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for round := range 50 {
				for k := range objects {
					o := objects[(k*7+g+round)%len(objects)]
					for i, name := range names {
						want, wantOK := o.Get(name)
						got, ok := o.GetCached(name, &caches[i])
						if got != want || ok != wantOK {
							t.Errorf("GetCached(%q) = %v, %v; Get = %v, %v", name, got, ok, want, wantOK)
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestFreezeInternsNames(t *testing.T) {
	a := Freeze(map[string]any{string([]byte("filterPattern")): "x"}).(*Object)
	b := Freeze(map[string]any{string([]byte("filterPattern")): "y"}).(*Object)
	if unsafe.StringData(a.Fields()[0].Name) != unsafe.StringData(b.Fields()[0].Name) {
		t.Error("the same field name in two objects does not share its bytes")
	}
	if unsafe.StringData(Intern("filterPattern")) != unsafe.StringData(a.Fields()[0].Name) {
		t.Error("Intern does not return the frozen name")
	}
}

func TestLookupFrozen(t *testing.T) {
	e := &Entity{Attrs: trailAttrs()}
	frozen := &Entity{}
	frozen.Attrs = map[string]any{"status": Freeze(e.Attrs["status"])}
	for _, path := range []string{"status.isLogging", "status.latestDeliveryTime", "status.missing"} {
		want, wok := e.Lookup(path)
		got, gok := frozen.Lookup(path)
		if got != want || gok != wok {
			t.Errorf("Lookup(%s) = %v, %v; want %v, %v", path, got, gok, want, wok)
		}
	}
}

// BenchmarkObjectGet reads one field of objects shaped like the normalised
// CloudTrail (25 fields), with and without a FieldCache.
func BenchmarkObjectGet(b *testing.B) {
	var objects []*Object
	for k := range 64 {
		m := map[string]any{}
		for i := range 25 {
			m[fmt.Sprintf("field%02d", i)] = float64(k)
		}
		objects = append(objects, Freeze(m).(*Object))
	}
	name := Intern("field17")
	b.Run("Get", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, ok := objects[i%len(objects)].Get(name); !ok {
				b.Fatal("missing")
			}
		}
	})
	b.Run("GetCached", func(b *testing.B) {
		var c FieldCache
		for i := 0; b.Loop(); i++ {
			if _, ok := objects[i%len(objects)].GetCached(name, &c); !ok {
				b.Fatal("missing")
			}
		}
	})
}
