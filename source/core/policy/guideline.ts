/** The guideline every policy check answers to, named the way Japanese reviewers cite it. */
export const guidelineName = '厚生労働省「医療情報システムの安全管理に関するガイドライン」第6.0版 (MHLW Guidelines for the Security Management of Medical Information Systems, 6.0)';

export const guidelineShortName = '医療情報システムの安全管理に関するガイドライン 第6.0版';
