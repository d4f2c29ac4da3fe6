package filterpattern_test

import (
	"fmt"

	"vigil/filterpattern"
)

func ExampleEqual() {
	stored, _ := filterpattern.Parse(`{($.eventName="DeleteTrail")||($.eventName=CreateTrail)}`)
	reference, _ := filterpattern.Parse(`{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }`)
	fmt.Println(filterpattern.Equal(stored, reference))
	fmt.Println(filterpattern.Format(stored))
	// Output:
	// true
	// { ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }
}

func ExampleCovers() {
	cis45, _ := filterpattern.Parse(`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`)
	broad, _ := filterpattern.Parse(`{ ($.eventName = *Trail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`)
	narrow, _ := filterpattern.Parse(`{ $.eventName = *Trail }`)
	fmt.Println(filterpattern.Covers(broad, cis45))
	fmt.Println(filterpattern.Covers(narrow, cis45), filterpattern.Uncovered(narrow, cis45))
	// Output:
	// true
	// false [$.eventName = StartLogging $.eventName = StopLogging]
}

func ExampleParse_error() {
	_, err := filterpattern.Parse(`{ $.eventName = }`)
	fmt.Println(err)
	fmt.Println(err.(*filterpattern.Error).Snippet())
	// Output:
	// 1:17: expected a value after "=", found "}"
	//  | { $.eventName = }
	//  | ................^
}

func ExamplePattern_Match() {
	p, _ := filterpattern.Parse(`{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`)
	fmt.Println(p.Match(`{"eventName":"ConsoleLogin","errorMessage":"Failed authentication"}`))
	fmt.Println(p.Match(`{"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"}}`))
	// Output:
	// true
	// false
}
