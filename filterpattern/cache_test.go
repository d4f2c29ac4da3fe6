package filterpattern

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

const (
	cis44Compact = `{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}`
	cis44Spaced  = `{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}`
	cis43        = `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`
)

func TestCache(t *testing.T) {
	c := NewCache()
	eq, err := c.Equal(cis44Compact, cis44Spaced)
	if err != nil || !eq {
		t.Errorf("Equal = %v, %v", eq, err)
	}
	cov, err := c.Covers(`{ $.eventName = *Trail }`, cis45)
	if err != nil || cov {
		t.Errorf("Covers = %v, %v", cov, err)
	}
	// Cached answers are the same.
	if eq, _ := c.Equal(cis44Compact, cis44Spaced); !eq {
		t.Error("cached Equal changed")
	}
	if cov, _ := c.Covers(`{ $.eventName = *Trail }`, cis45); cov {
		t.Error("cached Covers changed")
	}
}

func TestCacheErrorNamesPatternAndColumn(t *testing.T) {
	c := NewCache()
	bad := `{ $.eventName = }`
	for _, call := range []func() (bool, error){
		func() (bool, error) { return c.Equal(cis45, bad) },
		func() (bool, error) { return c.Covers(bad, cis45) },
		func() (bool, error) { return c.Equal(bad, cis45) }, // cached error
	} {
		ok, err := call()
		if ok || err == nil {
			t.Fatalf("got %v, %v", ok, err)
		}
		want := `1:17: expected a value after "=", found "}", in filter pattern "{ $.eventName = }"`
		if err.Error() != want {
			t.Errorf("error:\n got  %s\n want %s", err, want)
		}
		var perr *Error
		if !errors.As(err, &perr) || perr.Col != 17 || perr.Source != bad {
			t.Errorf("error does not unwrap to the *Error: %#v", err)
		}
	}
}

func TestCacheCachedPathAllocatesNothing(t *testing.T) {
	c := NewCache()
	c.Equal(cis44Compact, cis44Spaced)
	c.Covers(cis44Compact, cis44Spaced)
	if n := testing.AllocsPerRun(100, func() { c.Equal(cis44Compact, cis44Spaced) }); n != 0 {
		t.Errorf("cached Equal allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { c.Covers(cis44Compact, cis44Spaced) }); n != 0 {
		t.Errorf("cached Covers allocates %v times", n)
	}
}

// TestCacheBounded feeds a cache more distinct patterns than it may hold.
func TestCacheBounded(t *testing.T) {
	c := NewCache()
	for i := 0; i < MaxCacheEntries*2+10; i++ {
		p := fmt.Sprintf(`{ $.n = %d }`, i)
		if _, err := c.Covers(p, p); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.patterns) > MaxCacheEntries || len(c.covers) > MaxCacheEntries {
		t.Errorf("cache holds %d patterns and %d pairs, limit %d", len(c.patterns), len(c.covers), MaxCacheEntries)
	}
}

// TestCacheConcurrent is meant for go test -race.
func TestCacheConcurrent(t *testing.T) {
	c := NewCache()
	patterns := []string{cis44Compact, cis44Spaced, cis45, cis43, `{ $.eventName = *Trail }`, `bad {`, `{ $.a = }`}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				a, b := patterns[(g+i)%len(patterns)], patterns[i%len(patterns)]
				eq, err1 := c.Equal(a, b)
				cov, err2 := c.Covers(a, b)
				if (err1 == nil) != (err2 == nil) || eq && !cov {
					t.Errorf("inconsistent answers for %q, %q", a, b)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkParseCIS44(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(cis44Spaced); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEqualCold(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		pa, _ := Parse(cis44Compact)
		pb, _ := Parse(cis44Spaced)
		if !Equal(pa, pb) {
			b.Fatal("not equal")
		}
	}
}

func BenchmarkEqualCached(b *testing.B) {
	c := NewCache()
	c.Equal(cis44Compact, cis44Spaced)
	b.ReportAllocs()
	for b.Loop() {
		if eq, _ := c.Equal(cis44Compact, cis44Spaced); !eq {
			b.Fatal("not equal")
		}
	}
}

func BenchmarkCoversCached(b *testing.B) {
	c := NewCache()
	super := strings.TrimSuffix(cis45, " }") + " || ($.eventName = DeleteEventDataStore) }"
	c.Covers(super, cis45)
	b.ReportAllocs()
	for b.Loop() {
		if cov, _ := c.Covers(super, cis45); !cov {
			b.Fatal("does not cover")
		}
	}
}

func BenchmarkMatchJSON2KB(b *testing.B) {
	raw, err := os.ReadFile("testdata/cloudtrail-event-2k.json")
	if err != nil {
		b.Fatal(err)
	}
	event := strings.TrimSpace(string(raw))
	p := mustParse(b, cis45)
	if !p.Match(event) {
		b.Fatal("the UpdateTrail event does not match CIS 4.5")
	}
	b.SetBytes(int64(len(event)))
	b.ReportAllocs()
	for b.Loop() {
		p.Match(event)
	}
}
