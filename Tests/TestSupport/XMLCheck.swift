import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What an XML parser makes of a document (the pictures' SVG, the report's XHTML-shaped HTML):
/// every element with its attributes, in order, and all the text; or why it does not parse.
public struct ParsedXML {
    public var elements: [(name: String, attributes: [String: String])] = []
    public var text = ""
    public var error: String?

    public func elements(named name: String) -> [[String: String]] {
        elements.filter { $0.name == name }.map(\.attributes)
    }
}

public func parseXML(_ document: String) -> ParsedXML {
    final class Collector: NSObject, XMLParserDelegate {
        var parsed = ParsedXML()
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            parsed.elements.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { parsed.text += string }
        func parser(_ parser: XMLParser, parseErrorOccurred error: Error) {
            parsed.error = "line \(parser.lineNumber), column \(parser.columnNumber): \(error)"
        }
    }
    let parser = XMLParser(data: Data(document.utf8))
    let collector = Collector()
    parser.delegate = collector
    if !parser.parse() && collector.parsed.error == nil { collector.parsed.error = "\(parser.parserError.map { "\($0)" } ?? "did not parse")" }
    return collector.parsed
}
