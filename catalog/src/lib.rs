//! The library catalogue's formats, without a database or web code: `marc` reads the exports of
//! school library systems (1С:Библиотека, ИРБИС: ISO 2709 RUSMARC and MARC21 in UTF-8 or
//! windows-1251, MARCXML), leniently, reporting each broken record; `gost` writes a record's
//! description for a list of sources by ГОСТ Р 7.0.100-2018 (electronic resources by
//! ГОСТ Р 7.0.108-2022) and sorts such a list as schools require. The catalogue issue builds
//! its import, search and list of sources on them.

pub mod gost;
pub mod marc;
