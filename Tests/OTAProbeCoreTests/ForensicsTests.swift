import Testing
@testable import OTAProbeCore

/// What a non-firmware body is, and what to do about it (issue: body forensics).
@Suite struct ForensicsTests {
    func kind(_ text: String) -> BodyKind { BodyKind.recognize(Array(text.utf8)) }

    @Test func namesHTMLTitlesAndStorageErrors() {
        #expect(kind("<!DOCTYPE html><html><head><title>Google Drive - Virus scan warning</title>") == .html(title: "Google Drive - Virus scan warning"))
        let s3 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
        #expect(kind(s3) == .storageError(code: "AccessDenied", message: "Request has expired"))
        #expect(kind("{\"error\":\"not found\"}") == .json)
    }

    @Test func findsReencodedShiftedAndChunkedImages() {
        #expect(BodyKind.recognize([0xC3, 0xA9, 0x01, 0x02]) == .utf8ReencodedImage)
        #expect(BodyKind.recognize([0x0A, 0xE9, 0x01, 0x02, 0x40]) == .shiftedImage(offset: 1))
        #expect(BodyKind.recognize(Array("1000\r\n".utf8) + [0xE9]) == .chunkFraming(firstChunkSize: 4096))
    }

    /// Both families start with 0xE9: the report names the chip the header says, so an ESP32
    /// run's body is not called an ESP8266 image.
    @Test func namesTheImageFamilyFromItsHeader() {
        let esp32 = ImageFixtures.esp32Image(chip: 0x0005, segments: [(0x3FC8_8000, ImageFixtures.pattern(64, seed: 1))])
        #expect(BodyKind.recognize(esp32) == .esp32Image(chip: "ESP32-C3"))
        #expect(BodyKind.recognize(esp32).summary == "an ESP32-C3 app image (starts with 0xE9)")
        let esp8266 = ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 1))])
        #expect(BodyKind.recognize(esp8266) == .esp8266Image)
    }

    @Test func esp32WouldReadChipIDFromHTML() {
        #expect(BodyKind.esp32ChipIDReading(Array("<!DOCTYPE html>".utf8)) == 27757)
    }

    @Test func hostingAdviceGivesTheRawLink() {
        let github = HostingAdvisor.advise(url: "https://github.com/me/fw/blob/main/build/fw.bin", body: .html(title: "fw.bin"))
        #expect(github?.rawURL == "https://raw.githubusercontent.com/me/fw/main/build/fw.bin")
        let drive = HostingAdvisor.advise(url: "https://drive.google.com/file/d/1AbC/view?usp=sharing", body: .html(title: "fw.bin - Google Drive"))
        #expect(drive?.rawURL?.hasPrefix("https://drive.google.com/uc?export=download&id=1AbC") == true)
        let dropbox = HostingAdvisor.advise(url: "https://www.dropbox.com/s/xyz/fw.bin?dl=0", body: .html(title: "Dropbox"))
        #expect(dropbox?.rawURL?.hasPrefix("https://www.dropbox.com/s/xyz/fw.bin?dl=1") == true)
        let s3 = HostingAdvisor.advise(url: "https://b.s3.amazonaws.com/fw.bin?X-Amz-Expires=60", body: .storageError(code: "AccessDenied", message: nil))
        #expect(s3?.host == "Amazon S3")
        #expect(HostingAdvisor.advise(url: "http://192.168.1.2/fw.bin", body: .html(title: "Index")) == nil)
    }

    @Test func diagnosisUsesTheAdviceAndTheESP32Reading() {
        let page = Array("<!DOCTYPE html><html><head><title>fw.bin</title></head></html>".utf8)
        let model = run(.response(head: okHead(length: page.count), body: page), url: "http://github.com/me/fw/blob/main/fw.bin")
        let explained = Diagnosis(profile: .esp8266(Profiles.v312), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: model.exchanges)
        #expect(explained.why.contains("GitHub: a /blob/ link"))
        #expect(explained.fix.first == "Use the raw file link: https://raw.githubusercontent.com/me/fw/main/fw.bin.")
        #expect(explained.notes.contains { $0.contains("found 27757") })
    }
}
