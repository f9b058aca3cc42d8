// Fails this consumer build unless its tests ran and passed: the surefire reports must exist and
// show no failure, and the named classes must each have run at least one test and skipped none.
def reports = new File(basedir, 'target/surefire-reports')
def suites = [:]
// Counted from the test cases, not the suite's attributes: surefire gives a class whose tests
// are all in a nested class tests="0".
reports.eachFileMatch(~/TEST-.*\.xml/) { f ->
    def xml = f.text
    def head = (xml =~ /<testsuite [^>]*>/)[0]
    def name = (head =~ /\bname="([^"]*)"/)[0][1]
    suites[name] = [tests: (xml =~ /<testcase /).size(), skipped: (xml =~ /<skipped/).size(),
            failed: (xml =~ /<(failure|error)[ >]/).size() + (head =~ /\b(failures|errors)="[1-9]/).size()]
}
def mustRun = ['com.example.readme.GuardARouteTest', 'com.example.readme.DeployTokenTest', 'com.example.readme.DeployEndpointTest',
        'com.example.readme.SignedReceiptsTest', 'com.example.fakebrms.FakeBrmsTourTest',
        'com.example.junit.DeployEndpointTest', 'com.example.junit.TokenAssertionsExampleTest',
        'com.example.junit.StoreClosingTest', 'com.example.junit.DeployTokenTest']
mustRun.each { c ->
    def s = suites[c]
    assert s != null : "${c} did not run (reports: ${suites.keySet()})"
    assert s.tests > 0 && s.skipped == 0 : "${c}: ${s}"
}
def total = suites.values().sum { it.tests }
assert total >= 12 : "only ${total} tests ran: ${suites}"
assert suites.values().every { it.failed == 0 } : "failures: ${suites}"
def report = new File(reports, 'TEST-com.example.junit.DeployEndpointTest.xml').text
assert report.contains('junit-jupiter-api-5.14.') : 'this is the JUnit 5.14 consumer: junit-jupiter-api 5.14 is not on the test class path'
println "readme consumer: ${total} tests in ${suites.size()} classes, none failed"
return true
