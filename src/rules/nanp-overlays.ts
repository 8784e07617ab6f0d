// What no library holds about NANP area codes: which codes are overlays of which, and the few places whose clock
// libphonenumber's zone data misses. An overlay serves the same area as the codes it overlays, so a number under it
// may be anywhere in that area; libphonenumber lists zones per prefix, and a new overlay has few prefixes yet.

/**
 * Each overlay area code and the codes whose area it shares (NANPA, "NANP area code overlays", and the relief
 * planning documents and planning letters announcing each overlay; in Canada the CNAC/CRTC relief plans). Written
 * from NANPA's overlay assignments as published, without a machine-readable source: the tests check each code against
 * libphonenumber's table, and that every code of a group gets the same zones. Splits (two codes for two areas, such as
 * 602/480/623) are not overlays and are not here.
 */
export const overlaidAreaCodes: Readonly<Record<string, string>> = {
  // United States
  '220': '740', '223': '717', '224': '847', '227': '240 301', '234': '330', '235': '573', '240': '301',
  '267': '215', '272': '570', '274': '920', '279': '916', '283': '513', '289': '905', '321': '407', '323': '213',
  '324': '904', '326': '937', '327': '870', '329': '845', '331': '630', '332': '212 646', '339': '781', '341': '510',
  '346': '713 281 832', '347': '718', '350': '209', '351': '978', '353': '608', '363': '516', '364': '270', '369': '707',
  '380': '614', '385': '801', '424': '310', '430': '903', '442': '760', '443': '410', '445': '215 267', '447': '217',
  '448': '850', '458': '541', '463': '317', '464': '708', '469': '214', '470': '404 678 770', '472': '910', '475': '203',
  '484': '610', '531': '402', '534': '715', '539': '918', '551': '201', '557': '314', '564': '360', '567': '419',
  '571': '703', '572': '405', '582': '814', '628': '415', '629': '615', '640': '609', '645': '305 786', '646': '212', '656': '813',
  '657': '714', '659': '205', '667': '410 443', '669': '408', '678': '404 770', '680': '315', '681': '304', '682': '817',
  '686': '804', '689': '407 321', '720': '303', '725': '702', '726': '210', '728': '561', '730': '618', '737': '512',
  '738': '213 323', '743': '336', '747': '818', '748': '719', '754': '954', '762': '706', '769': '601', '771': '202', '774': '508',
  '779': '815', '786': '305', '820': '805', '821': '864', '826': '540', '832': '713 281', '835': '610 484', '838': '518', '839': '803',
  '840': '909', '848': '732', '854': '843', '857': '617', '862': '973', '872': '312 773', '878': '412 724', '917': '212 718',
  '929': '718 347 917', '930': '812', '934': '631', '938': '256', '943': '404 470 678 770', '945': '214 469 972',
  '947': '248', '948': '757', '959': '860', '971': '503', '972': '214', '975': '816', '980': '704', '983': '303 720',
  '984': '919', '986': '208',
  // Canada
  '226': '519', '236': '250 604 778', '249': '705', '257': '250 604 778 236 672', '263': '514 438', '343': '613',
  '354': '450 579', '365': '905 289', '367': '418 581', '368': '403 780 587 825', '382': '519 226 548',
  '428': '506', '431': '204', '437': '416 647', '438': '514', '468': '819 873', '474': '306 639', '548': '519 226',
  '579': '450', '581': '418', '584': '204 431', '587': '403 780', '639': '306', '647': '416', '672': '250 604 778 236',
  '683': '705 249', '742': '905 289 365', '753': '613 343', '778': '604 250', '782': '902', '825': '403 780 587',
  '873': '819', '879': '709', '942': '416 647 437',
  // Caribbean
  '658': '876', '829': '809', '849': '809 829', '939': '787',
};

/**
 * Zones libphonenumber's data does not give an area code although some of its numbers keep that clock, each with the
 * place. Lloydminster straddles the Alberta border and keeps Alberta's time by its charter (libphonenumber's own
 * geocoding places 306-825 there); Creighton and Denare Beach keep Manitoba's daylight time with Flin Flon.
 */
export const missingAreaCodeZones: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '306': { 'America/Edmonton': 'Lloydminster, SK', 'America/Winnipeg': 'Creighton and Denare Beach, SK' },
};
