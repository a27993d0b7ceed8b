extension WebSearch {
    /// The built-in corpus: short, illustrative pages on a few topics (AI in healthcare, renewable energy,
    /// remote work). They are written for this example, not quoted from real sites.
    static let corpus: [Document] = [
        Document(
            title: "AI in medical imaging: where it helps today",
            url: "https://example.org/health/ai-imaging",
            text: """
                AI systems that read X-rays, CT scans and mammograms are the most mature use of AI in \
                healthcare. Studies report accuracy comparable to specialists on narrow tasks, and the \
                strongest results come when the model assists a radiologist rather than replaces one.
                """),
        Document(
            title: "AI for diagnosis and triage in clinics",
            url: "https://example.org/health/ai-diagnosis",
            text: """
                Diagnosis support tools flag likely conditions from symptoms, labs and records, and triage \
                tools rank patients by urgency. Their benefit depends on how well they fit clinical workflow; \
                alerts that fire too often are ignored.
                """),
        Document(
            title: "Machine learning in drug discovery",
            url: "https://example.org/health/ai-drug-discovery",
            text: """
                Machine learning shortens early drug discovery by predicting protein structures and \
                screening candidate molecules. Candidates still need the same clinical trials, so the \
                time saved is mostly in the first research years.
                """),
        Document(
            title: "Clinical documentation: AI scribes",
            url: "https://example.org/health/ai-scribes",
            text: """
                AI scribes draft clinical notes from the conversation between doctor and patient. Early \
                deployments report less time spent on paperwork; clinicians must still review every note.
                """),
        Document(
            title: "Risks of AI in healthcare: bias, errors and accountability",
            url: "https://example.org/health/ai-risks",
            text: """
                Models trained on data from some populations perform worse on others, which can widen \
                health gaps. Errors are hard to spot when a model sounds confident, and it is often unclear \
                who is accountable when an AI-assisted decision goes wrong.
                """),
        Document(
            title: "Regulating AI medical devices",
            url: "https://example.org/health/ai-regulation",
            text: """
                Regulators treat many diagnostic AI systems as medical devices that need approval before use. \
                Models that keep learning after approval are a challenge, and regulators ask for monitoring \
                plans and clear limits on changes.
                """),
        Document(
            title: "Patient data and privacy in health AI",
            url: "https://example.org/health/ai-privacy",
            text: """
                Health AI needs large amounts of patient data. Privacy rules limit sharing, so hospitals use \
                de-identification, federated learning and strict access controls; patients' trust depends \
                on consent and transparency.
                """),
        Document(
            title: "The future of AI in healthcare",
            url: "https://example.org/health/ai-future",
            text: """
                Experts expect AI to spread from imaging to prediction of deterioration, personalised \
                treatment and remote monitoring. The limits are evidence from real clinical outcomes, \
                integration with hospital systems, and the training of staff.
                """),
        Document(
            title: "Solar power costs and growth",
            url: "https://example.org/energy/solar",
            text: """
                The cost of solar panels fell sharply over the last decade, making solar one of the cheapest \
                sources of new electricity in sunny regions. Growth is now limited by grid connections.
                """),
        Document(
            title: "Energy storage and the renewable grid",
            url: "https://example.org/energy/storage",
            text: """
                Batteries smooth the daily swings of solar and wind; longer storage, such as pumped hydro, \
                covers calm and dark weeks. Storage capacity is growing quickly but from a small base.
                """),
        Document(
            title: "Remote work and productivity",
            url: "https://example.org/work/remote-productivity",
            text: """
                Studies of remote work find mixed effects on productivity: focused individual work often \
                improves, while mentoring and collaboration across teams can suffer.
                """),
        Document(
            title: "Hybrid work policies",
            url: "https://example.org/work/hybrid",
            text: """
                Many companies settled on hybrid work, with two or three office days. Clear team agreements \
                on which days to meet matter more than the exact number of days.
                """),
    ]
}
