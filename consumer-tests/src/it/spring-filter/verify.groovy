// Fails this consumer build unless the release portal's tests ran and passed: the surefire reports
// must exist and show no failure, and ReleasePortalTest must have run its tests and skipped none;
// and Boot's Spring Security module must not be on its class path.
def reports = new File(basedir, 'target/surefire-reports')
def suites = [:]
reports.eachFileMatch(~/TEST-.*\.xml/) { f ->
    def xml = f.text
    def head = (xml =~ /<testsuite [^>]*>/)[0]
    def name = (head =~ /\bname="([^"]*)"/)[0][1]
    suites[name] = [tests: (xml =~ /<testcase /).size(), skipped: (xml =~ /<skipped/).size(),
            failed: (xml =~ /<(failure|error)[ >]/).size() + (head =~ /\b(failures|errors)="[1-9]/).size()]
}
def s = suites['com.example.filter.ReleasePortalTest']
assert s != null : "com.example.filter.ReleasePortalTest did not run (reports: ${suites.keySet()})"
assert s.tests >= 6 && s.skipped == 0 : "com.example.filter.ReleasePortalTest: ${s}"
def total = suites.values().sum { it.tests }
assert suites.values().every { it.failed == 0 } : "failures: ${suites}"
def report = new File(reports, 'TEST-com.example.filter.ReleasePortalTest.xml').text
assert report.contains('spring-boot-4.0.7.jar') : 'Spring Boot 4.0.7 is not on the test class path'
// The point of this consumer: Boot's Spring Security auto-configuration is absent.
assert !report.contains('spring-boot-security-4.0.7.jar') : 'spring-boot-security is on the test class path'
println "spring-filter consumer: ${total} tests in ${suites.size()} classes, none failed"
return true
