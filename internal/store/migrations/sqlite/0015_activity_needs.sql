-- What a project must have before it is submitted, by activity type
-- (reference data, activity_types.csv): a beneficiary establishment
-- (demonstration models, machinery, technology lines...: support that goes
-- to one establishment) and planned outputs (every kind an indicator
-- measures). The reference-data loader keeps them up to date.
ALTER TABLE activity_types ADD COLUMN needs_beneficiary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_types ADD COLUMN needs_outputs INTEGER NOT NULL DEFAULT 0;

-- A rule set's legal basis and note in English beside the Vietnamese
-- (English pages show them). The shipped sets' notes carried both
-- languages joined by " / ": each language now has its own.
ALTER TABLE rule_sets ADD COLUMN legal_basis_en TEXT NOT NULL DEFAULT '';
ALTER TABLE rule_sets ADD COLUMN note_en TEXT NOT NULL DEFAULT '';
UPDATE rule_sets SET legal_basis_en = 'Decree 45/2012/ND-CP; Circular 28/2018/TT-BTC (art. 8, national industry promotion spending levels)',
    note = 'Ngày hiệu lực 10/7/2012 và mọi mức hỗ trợ, tạm ứng, thẩm quyền là giá trị cần xác nhận với văn bản gốc. Địa bàn: xã và đặc khu (đơn vị hành chính nông thôn sau 1/7/2025); phường không được hỗ trợ. Không có nhóm ưu tiên.',
    note_en = 'Effective date and all caps, advance limits and authorities are to be confirmed against the official texts. Area: communes and special zones (the rural units after 1 July 2025); wards are not supported. No priority groups.'
    WHERE code = 'ND45-2012';
UPDATE rule_sets SET legal_basis_en = 'Decree 235/2025/ND-CP of 27 August 2025 amending Decree 45/2012/ND-CP; Circular 28/2018/TT-BTC (spending levels, until replaced)',
    note = 'Ngày hiệu lực 15/10/2025 (giữa tháng 10/2025) cần xác nhận. Mở rộng đối tượng: làng nghề, nghệ nhân; ưu tiên cơ sở do phụ nữ, người dân tộc thiểu số làm chủ (cách diễn đạt cần xác nhận). Địa bàn: xã và đặc khu; phường không được hỗ trợ (cần xác nhận). Mức hỗ trợ giữ theo Thông tư 28/2018 đến khi có văn bản mới.',
    note_en = 'Effective date to confirm. Beneficiaries extended to craft villages and artisans; priority for women-owned and ethnic-minority-owned establishments (wording to confirm). Area: communes and special zones; wards not supported (to confirm). Caps kept from Circular 28/2018 until a new circular.'
    WHERE code = 'ND235-2025';

-- An organisation's legal basis for a name, in English beside the
-- Vietnamese (the central agency's 2025 name carried both in one text).
ALTER TABLE organization_names ADD COLUMN legal_basis_en TEXT NOT NULL DEFAULT '';
UPDATE organization_names SET legal_basis = 'Tổ chức lại Bộ Công Thương năm 2025 (số quyết định cần xác nhận)',
    legal_basis_en = 'Reorganisation of the Ministry of Industry and Trade in 2025 (decision number to confirm)'
    WHERE legal_basis = 'Tổ chức lại Bộ Công Thương năm 2025 (to confirm the decision)';
