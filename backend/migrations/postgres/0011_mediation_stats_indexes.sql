-- Recounting one place's month of statistics reads its mediation cases by the day they were
-- sent and the day they were accepted: without these, it read every case the place ever had.
CREATE INDEX mediation_cases_place_submitted ON mediation_cases (location_id, submitted_at);
CREATE INDEX mediation_cases_place_accepted ON mediation_cases (location_id, accepted_at);
