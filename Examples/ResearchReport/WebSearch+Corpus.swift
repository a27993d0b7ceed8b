extension WebSearch {
    /// The built-in corpus: short, illustrative pages on a few topics (AI in healthcare, renewable energy,
    /// remote work). They are written for this example, not quoted from real sites, and no page is at its URL.
    static let corpus: [Document] = [
        Document(
            title: "AI in medical imaging: where it helps today",
            topic: "AI in healthcare",
            url: "https://example.org/health/ai-imaging",
            text: """
                AI systems that read X-rays, CT scans and mammograms are the most mature use of AI in \
                healthcare. Studies report accuracy comparable to specialists on narrow tasks, and the \
                strongest results come when the model assists a radiologist rather than replaces one.
                """),
        Document(
            title: "AI for diagnosis and triage in clinics",
            topic: "AI in healthcare",
            url: "https://example.org/health/ai-diagnosis",
            text: """
                Diagnosis support tools flag likely conditions from symptoms, labs and records, and triage \
                tools rank patients by urgency. Their benefit depends on how well they fit clinical workflow; \
                alerts that fire too often are ignored.
                """),
        Document(
            title: "Machine learning in drug discovery",
            topic: "AI in healthcare",
            url: "https://example.org/health/ai-drug-discovery",
            text: """
                Machine learning shortens early drug discovery by predicting protein structures and \
                screening candidate molecules. Candidates still need the same clinical trials, so the \
                time saved is mostly in the first research years.
                """),
        Document(
            title: "Clinical documentation: AI scribes",
            topic: "AI in healthcare",
            url: "https://example.org/health/ai-scribes",
            text: """
                AI scribes draft clinical notes from the conversation between doctor and patient. Early \
                deployments report less time spent on paperwork; clinicians must still review every note.
                """),
        Document(
            title: "Risks of AI in healthcare: bias, errors and accountability",
            topic: "AI in healthcare",
            url: "https://example.org/health/ai-risks",
            text: """
                Models trained on data from some populations perform worse on others, which can widen \
                health gaps. Errors are hard to spot when a model sounds confident, and it is often unclear \
                who is accountable when an AI-assisted decision goes wrong.
                """),
        Document(
            title: "Regulating AI medical devices",
            topic: "AI in healthcare",
            url: "https://example.org/health/ai-regulation",
            text: """
                Regulators treat many diagnostic AI systems as medical devices that need approval before use. \
                Models that keep learning after approval are a challenge, and regulators ask for monitoring \
                plans and clear limits on changes.
                """),
        Document(
            title: "Patient data and privacy in health AI",
            topic: "AI in healthcare",
            url: "https://example.org/health/ai-privacy",
            text: """
                Health AI needs large amounts of patient data. Privacy rules limit sharing, so hospitals use \
                de-identification, federated learning and strict access controls; patients' trust depends \
                on consent and transparency.
                """),
        Document(
            title: "The future of AI in healthcare",
            topic: "AI in healthcare",
            url: "https://example.org/health/ai-future",
            text: """
                Experts expect AI to spread from imaging to prediction of deterioration, personalised \
                treatment and remote monitoring. The limits are evidence from real clinical outcomes, \
                integration with hospital systems, and the training of staff.
                """),
        Document(
            title: "Solar power costs and growth",
            topic: "renewable energy",
            url: "https://example.org/energy/solar",
            text: """
                The cost of solar panels fell sharply over the last decade, making solar one of the cheapest \
                sources of new electricity in sunny regions. Growth is now limited by grid connections.
                """),
        Document(
            title: "Energy storage and the renewable grid",
            topic: "renewable energy",
            url: "https://example.org/energy/storage",
            text: """
                Batteries smooth the daily swings of solar and wind; longer storage, such as pumped hydro, \
                covers calm and dark weeks. Storage capacity is growing quickly but from a small base.
                """),
        Document(
            title: "Wind power today",
            topic: "renewable energy",
            url: "https://example.org/energy/wind",
            text: """
                Wind and solar now supply a large and growing share of electricity in many countries. Onshore \
                wind is among the cheapest sources of renewable energy; offshore wind costs more but blows \
                more steadily.
                """),
        Document(
            title: "The future of renewable energy: evidence from a decade of growth",
            topic: "renewable energy",
            url: "https://example.org/energy/future",
            text: """
                Evidence from the last decade shows renewable energy growing faster than forecasts. Analysts \
                expect the growth to continue if grids, storage and permitting keep pace.
                """),
        Document(
            title: "Risks of the renewable energy transition",
            topic: "renewable energy",
            url: "https://example.org/energy/risks",
            text: """
                The renewable energy transition depends on mined materials and concentrated supply chains. Land \
                use, grid reliability and the regulation of new projects are the main risks and disputes.
                """),
        Document(
            title: "Remote work and productivity",
            topic: "remote work",
            url: "https://example.org/work/remote-productivity",
            text: """
                Studies of remote work find mixed effects on productivity: focused individual work often \
                improves, while mentoring and collaboration across teams can suffer.
                """),
        Document(
            title: "Hybrid work policies",
            topic: "remote work",
            url: "https://example.org/work/hybrid",
            text: """
                Many companies settled on hybrid work, with two or three office days. Clear team agreements \
                on which days to meet matter more than the exact number of days.
                """),
    ]
}
