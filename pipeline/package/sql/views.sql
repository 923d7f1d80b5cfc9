-- Views for common questions, over the active records (withdrawn records stay in the tables).
-- Each view is documented by its COMMENT, which DuckDB shows in duckdb_views().

CREATE VIEW claims_with_sources AS
SELECT
    c.claim_id,
    c.document_id,
    c.kind,
    c.text,
    c.quoted_text,
    c.claimant_type,
    coalesce(speaker.preferred_name, c.claimant_name, c.claimant_text) AS speaker_name,
    c.claimant_id AS speaker_id,
    c.attribution_rule,
    c.attribution_confidence,
    c.footnote_id,
    f.number AS footnote_number,
    (SELECT count(DISTINCT cc.work_id) FROM claim_citations cc
      WHERE cc.claim_id = c.claim_id AND cc.work_id IS NOT NULL AND cc.record_status = 'active') AS work_count,
    (SELECT string_agg(DISTINCT w.work_id, '; ' ORDER BY w.work_id)
       FROM claim_citations cc JOIN works w ON w.work_id = cc.work_id
      WHERE cc.claim_id = c.claim_id AND cc.record_status = 'active') AS work_ids,
    (SELECT string_agg(DISTINCT w.chicago, ' | ' ORDER BY w.chicago)
       FROM claim_citations cc JOIN works w ON w.work_id = cc.work_id
      WHERE cc.claim_id = c.claim_id AND cc.record_status = 'active') AS works_cited
FROM claims c
LEFT JOIN entities speaker ON speaker.entity_id = c.claimant_id
LEFT JOIN footnotes f ON f.footnote_id = c.footnote_id
WHERE c.record_status = 'active';

COMMENT ON VIEW claims_with_sources IS 'One row per active claim: its kind and words, the speaker''s name (the authority''s preferred name when the claimant is linked, else the name or words in the text), the supporting note and the works that note cites (work_ids and their Chicago renderings, "; " and " | " separated).';

CREATE VIEW events_with_participants AS
SELECT
    e.event_id,
    e.document_id,
    e.label,
    e.event_type,
    e.trigger,
    e.date_text,
    e.edtf,
    e.date_earliest,
    e.date_latest,
    e.precision,
    e.certainty,
    (SELECT count(*) FROM event_participants p
      WHERE p.event_id = e.event_id AND p.record_status = 'active') AS participant_count,
    (SELECT string_agg(coalesce(n.preferred_name, p.entity_id) || ' (' || p.role || ')', '; '
                       ORDER BY p.entity_id)
       FROM event_participants p LEFT JOIN entities n ON n.entity_id = p.entity_id
      WHERE p.event_id = e.event_id AND p.record_status = 'active') AS participants
FROM events e
WHERE e.record_status = 'active';

COMMENT ON VIEW events_with_participants IS 'One row per active event with its dates (EDTF and ISO bounds) and its participants as "name (role)", "; " separated, in entity ID order.';

CREATE VIEW person_mentions AS
SELECT
    n.entity_id,
    n.preferred_name,
    m.mention_id,
    m.document_id,
    d.title AS document_title,
    m.text AS mention_text,
    m.char_start,
    m.char_end,
    m.match_kind,
    m.confidence,
    m.sentence_id,
    m.footnote_id,
    coalesce(s.text, f.text) AS context
FROM mentions m
JOIN entities n ON n.entity_id = m.entity_id
JOIN documents d ON d.document_id = m.document_id
LEFT JOIN sentences s ON s.sentence_id = m.sentence_id
LEFT JOIN footnotes f ON f.footnote_id = m.footnote_id AND m.sentence_id IS NULL
WHERE n.entity_type = 'person' AND m.record_status = 'active';

COMMENT ON VIEW person_mentions IS 'Every active mention of every person of the authority file, with the paper''s title and the sentence (or, for a mention in a note, the note) it stands in; empty context where the paper''s text is not published.';
