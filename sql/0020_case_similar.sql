-- Duplicate suggestions on the case page: cases near a case's point are found
-- through a two-dimensional index (a box around the point), not a band of latitude
-- across the whole city. Cases without coordinates are left out of it.
create index cases_location_idx on cases using gist (point(longitude, latitude)) where latitude is not null;
